package vault

import (
	"crypto/ed25519"

	"github.com/casevault/casevault/vault/internal/cardfmt"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// The organisation card format lives in vault/internal/cardfmt; these
// names are the API.

// MaxCardSize is the largest organisation card ParseCard reads, in bytes.
const MaxCardSize = cardfmt.MaxSize

// A Card is a verified organisation card: the public description of a
// partner organisation, signed by the organisation's own key.
type Card = cardfmt.Card

// Errors returned by ParseCard, wrapped with details.
var (
	// ErrBadCard means the data is not a well-formed organisation card.
	ErrBadCard = cardfmt.ErrBad
	// ErrCardSignature means the card's self-signature does not verify.
	ErrCardSignature = cardfmt.ErrSignature
)

// Fingerprint returns the fingerprint of an organisation's keys: 8 groups
// of 4 base32 characters that two people can read to each other.
func Fingerprint(recipient string, verifyKey ed25519.PublicKey) string {
	return cardfmt.Fingerprint(recipient, verifyKey)
}

// ParseCard reads an organisation card and verifies it: its form, its
// recipient and key, its fingerprint and its self-signature. A valid card
// proves only that whoever made it holds the key it names.
func ParseCard(data []byte) (*Card, error) { return cardfmt.Parse(data) }

// ParseVerifyKey decodes a base64 Ed25519 verification key as printed on
// organisation cards.
func ParseVerifyKey(s string) (ed25519.PublicKey, error) { return cardfmt.ParseVerifyKey(s) }

// CheckOrgName reports whether name can name an organisation: non-empty
// after trimming, valid UTF-8, at most 200 bytes, no control characters.
func CheckOrgName(name string) error { return orgname.Check(name) }

// Card returns this vault's organisation card as JSON: the organisation's
// name, age recipient, Ed25519 verification key and fingerprint, signed by
// the organisation's key.
func (v *Vault) Card() ([]byte, error) {
	if err := v.needOwner("org card"); err != nil {
		return nil, err
	}
	m := v.meta
	var prev ed25519.PublicKey
	if n := len(m.PreviousKeys); n > 0 && len(m.RotationSig) > 0 {
		prev = ed25519.PublicKey(m.PreviousKeys[n-1].VerifyKey)
	}
	return cardfmt.Encode(m.Org, m.Recipient, v.id.VerifyKey(), v.id.Sign, prev, m.RotationSig)
}

// rotationCardSignedBytes is what both signatures of a rotation card
// cover: the card's fields and the previous verify key.
func rotationCardSignedBytes(org, recipient string, vk ed25519.PublicKey, fp string, prev ed25519.PublicKey) []byte {
	return cardfmt.RotationSigned(org, recipient, vk, fp, prev)
}
