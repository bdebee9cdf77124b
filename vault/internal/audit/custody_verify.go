package audit

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/casevault/casevault/vault/internal/cardfmt"
)

// MaxCustodyReportSize bounds a JSON custody report read for verification:
// far above a real report (an entry takes about 1.5 KiB), checked before
// parsing.
const MaxCustodyReportSize = 64 << 20

// A CustodyReportError says why a custody report does not verify.
type CustodyReportError struct {
	// Forged is true when the report is well formed but a signature or
	// hash does not verify, or the report is signed by another
	// organisation than the card's: it was altered, or is not the
	// organisation's. It is false for data that is not a custody report.
	Forged bool
	Reason string
}

func (e *CustodyReportError) Error() string { return "custody report: " + e.Reason }

// VerifyCustodyReportFrom verifies a JSON custody report as
// [VerifyCustodyReport] does and checks that it is signed by the
// organisation of card: the report's verify key and recipient must be the
// card's. Verify the card first (with [cardfmt.Parse]) and compare its
// fingerprint with the organisation out of band; the report then proves
// what that organisation's vault recorded about the evidence item.
func VerifyCustodyReportFrom(data []byte, card *cardfmt.Card) (*CustodyReport, error) {
	r, err := VerifyCustodyReport(data)
	if err != nil {
		return nil, err
	}
	vk, _ := base64.StdEncoding.DecodeString(r.VerifyKey) // decoded by VerifyCustodyReport
	if !bytes.Equal(vk, card.VerifyKey) || r.Recipient != card.Recipient || r.Fingerprint != card.Fingerprint {
		return nil, &CustodyReportError{Forged: true, Reason: fmt.Sprintf(
			"signed by the keys with fingerprint %s, not by %q (fingerprint %s)", r.Fingerprint, card.Org, card.Fingerprint)}
	}
	return r, nil
}
