package keys

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/casevault/casevault/schema/bounds"
)

// MaxWrapSize bounds the decrypted payload of a wrap file.
const MaxWrapSize = 16 << 10

// WrapFormat is the "format" of a wrap payload.
const WrapFormat = "casevault-staff-wrap"

// A Wrap is the payload of staff/<ID>.age: the master key of one store of
// a vault, for one staff member, with what ties it to the vault (see
// SECURITY.md, "Staff"). It is encrypted with age to the member's
// recipient; the caller checks every field against the binding and the
// store before trusting MasterKey.
type Wrap struct {
	Format       string `json:"format"`
	Version      int    `json:"version"`
	Vault        string `json:"vault"`
	Staff        string `json:"staff"`
	Name         string `json:"name"`
	DB           string `json:"db"`
	Generation   uint64 `json:"generation"`
	MasterKey    []byte `json:"master_key"`
	OrgRecipient string `json:"org_recipient"`
	OrgVerifyKey []byte `json:"org_verify_key"`
	// SigningKey is, for a member with a plugin identity, the signing key
	// box of their card (signing.go), which the member opens at unlock.
	SigningKey []byte `json:"signing_key,omitempty"`
}

// PluginWrapName is the name (without extension) of the wrap file of a
// member whose identity is a plugin's: their staff ID is that of a key
// they learn only from the wrap, so the wrap is found by their recipient.
func PluginWrapName(recipient string) string {
	sum := sha256.Sum256([]byte("casevault staff plugin wrap v1\x00" + recipient))
	return "p" + hex.EncodeToString(sum[:])[:31]
}

// ParseWrap decodes a decrypted wrap payload and checks its form.
func ParseWrap(data []byte) (*Wrap, error) {
	if len(data) > MaxWrapSize {
		return nil, fmt.Errorf("wrap is %d bytes, the limit is %d", len(data), MaxWrapSize)
	}
	var w Wrap
	if err := bounds.DecodeStrict(data, bounds.Wire, &w); err != nil {
		return nil, err
	}
	switch {
	case w.Format != WrapFormat || w.Version != 1:
		return nil, fmt.Errorf("format %q version %d (want %s 1)", w.Format, w.Version, WrapFormat)
	case len(w.MasterKey) != 32:
		return nil, fmt.Errorf("master key is %d bytes, want 32", len(w.MasterKey))
	case len(w.SigningKey) > MaxSigningKeyBox:
		return nil, fmt.Errorf("signing key box is %d bytes, the limit is %d", len(w.SigningKey), MaxSigningKeyBox)
	case len(w.OrgVerifyKey) != 32:
		return nil, fmt.Errorf("organisation key is %d bytes, want 32", len(w.OrgVerifyKey))
	case !IsStaffID(w.Staff):
		return nil, fmt.Errorf("staff ID %q is malformed", w.Staff)
	case !strings.HasPrefix(w.DB, "db-") || strings.ContainsAny(w.DB, `/\.`) || len(w.DB) > 64:
		return nil, fmt.Errorf("store name %q is malformed", w.DB)
	}
	return &w, nil
}
