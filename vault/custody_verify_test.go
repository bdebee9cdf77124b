package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// TestVerifyCustodyReportFrom checks a report against organisation cards:
// the issuing organisation's card accepts it, another organisation's card
// or any altered byte of a signed value refuses it as forged, and data that
// is not a report is refused as malformed.
func TestVerifyCustodyReportFrom(t *testing.T) {
	_, v := audVault(t, "Alpha Defence")
	_, other := audVault(t, "Beta Rights")
	c := audAdd(t, v, 1)[0]
	e := NewEvidenceID()
	sum := sha256.Sum256([]byte("the file"))
	audAppendHash(t, v, "evidence.add", []string{e.String(), c.String()}, sum[:])
	out, _, err := v.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	card := func(v *Vault) *Card {
		b, err := v.Card()
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCard(b)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	alpha, beta := card(v), card(other)

	r, err := VerifyCustodyReportFrom(out, alpha)
	if err != nil {
		t.Fatalf("own card: %v", err)
	}
	if r.Evidence.ID != e.String() || r.Org != "Alpha Defence" || len(r.Entries) != 1 {
		t.Fatalf("report = %+v", r)
	}

	wantErr := func(name string, err error, forged bool) {
		t.Helper()
		var cre *CustodyReportError
		if !errors.As(err, &cre) {
			t.Fatalf("%s: %v, want a CustodyReportError", name, err)
		}
		if cre.Forged != forged {
			t.Errorf("%s: Forged = %v, want %v (%v)", name, cre.Forged, forged, err)
		}
	}
	_, err = VerifyCustodyReportFrom(out, beta)
	wantErr("another organisation's card", err, true)

	// The organisation name and the evidence's SHA-256 are signed text.
	for _, sub := range [][2]string{{`"Alpha Defence"`, `"Alpha Defense"`}, {`"sha256": "` + hex.EncodeToString(sum[:4]), `"sha256": "00000000`}} {
		bad := bytes.Replace(out, []byte(sub[0]), []byte(sub[1]), 1)
		if bytes.Equal(bad, out) {
			t.Fatalf("%q not in the report", sub[0])
		}
		_, err = VerifyCustodyReportFrom(bad, alpha)
		wantErr("altered "+sub[0], err, true)
	}

	_, err = VerifyCustodyReportFrom([]byte("not json"), alpha)
	wantErr("not JSON", err, false)
	_, err = VerifyCustodyReportFrom(bytes.Repeat([]byte(" "), MaxCustodyReportSize+1), alpha)
	wantErr("too large", err, false)
}
