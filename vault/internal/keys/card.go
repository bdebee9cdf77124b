package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// MaxCardSize is the largest staff card ParseCard reads, in bytes.
const MaxCardSize = 64 << 10

// CardType is the "type" of every staff card.
const CardType = "casevault-staff-card"

// OwnerName is the staff name of the vault's owner, who holds the
// organisation identity and has no staff record.
const OwnerName = "owner"

// A Card is a verified staff card: a colleague's name, age recipient and
// Ed25519 key, signed with that key.
type Card struct {
	Name        string
	Recipient   string
	VerifyKey   ed25519.PublicKey
	Fingerprint string
	// SigningKeyBox is, on a card of a plugin identity (version 2), the
	// box holding the member's signing key (signing.go).
	SigningKeyBox []byte
}

// CardJSON is the wire form of a staff card.
type CardJSON struct {
	Type        string `json:"type"`
	Version     int    `json:"version"`
	Name        string `json:"name"`
	Recipient   string `json:"recipient"`
	VerifyKey   string `json:"verify_key"`
	Fingerprint string `json:"fingerprint"`
	SigningKey  string `json:"signing_key,omitempty"` // version 2: base64 signing key box
	Sig         string `json:"sig"`
}

// Errors of ParseCard, wrapped with details.
var (
	ErrBadCard       = errs.New(errs.ErrInvalid, "not a valid staff card")
	ErrCardSignature = errs.New(errs.ErrDamaged, "staff card signature does not verify (card altered or forged)")
)

var fpEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func writeField(b *bytes.Buffer, f []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(f)))
	b.Write(n[:])
	b.Write(f)
}

// Fingerprint returns a staff member's fingerprint: the first 160 bits of
// SHA-256 over a label, the recipient and the verify key, as 8 groups of 4
// base32 characters.
func Fingerprint(recipient string, vk ed25519.PublicKey) string {
	var b bytes.Buffer
	b.WriteString("casevault staff fingerprint v1\x00")
	writeField(&b, []byte(recipient))
	writeField(&b, vk)
	sum := sha256.Sum256(b.Bytes())
	s := fpEncoding.EncodeToString(sum[:20])
	groups := make([]string, 0, 8)
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, " ")
}

// StaffID returns the ID of the staff member whose key is vk: 32 hex
// digits of SHA-256 over a label and the key.
func StaffID(vk ed25519.PublicKey) string {
	sum := sha256.Sum256(append([]byte("casevault staff id v1\x00"), vk...))
	return hex.EncodeToString(sum[:16])
}

// IsStaffID reports whether s has the form of a staff ID.
func IsStaffID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// CardSigned is what a staff card's signature covers; box, the signing
// key box of a version 2 card, is covered too.
func CardSigned(version int, name, recipient string, vk ed25519.PublicKey, fp string, box []byte) []byte {
	var b bytes.Buffer
	b.WriteString("casevault staff card v1\x00")
	writeField(&b, []byte(CardType))
	writeField(&b, []byte(fmt.Sprint(version)))
	writeField(&b, []byte(name))
	writeField(&b, []byte(recipient))
	writeField(&b, vk)
	writeField(&b, []byte(fp))
	if version >= 2 {
		writeField(&b, box)
	}
	return b.Bytes()
}

// CheckName checks a staff member's name: as an organisation name (UTF-8,
// no control or bidirectional characters, at most 200 bytes), and not the
// owner's.
func CheckName(name string) error {
	if err := orgname.Check(name); err != nil {
		return fmt.Errorf("staff name: %v", err)
	}
	if strings.EqualFold(strings.TrimSpace(name), OwnerName) {
		return fmt.Errorf("staff name %q is reserved for the vault's owner", name)
	}
	return nil
}

// EncodeCard returns the staff card of name with recipient and the key
// vk, signed with sign.
func EncodeCard(name, recipient string, vk ed25519.PublicKey, sign func([]byte) []byte) ([]byte, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	fp := Fingerprint(recipient, vk)
	cj := CardJSON{Type: CardType, Version: 1, Name: name, Recipient: recipient,
		VerifyKey: base64.StdEncoding.EncodeToString(vk), Fingerprint: fp}
	cj.Sig = base64.StdEncoding.EncodeToString(sign(CardSigned(1, name, recipient, vk, fp, nil)))
	return marshalCard(cj)
}

// EncodePluginCard returns the staff card (version 2) of a member whose
// identity is an age plugin's: recipient is the plugin recipient, vk the
// key of the seed in box (SealSigningKey), sign signs with that seed.
func EncodePluginCard(name, recipient string, vk ed25519.PublicKey, box []byte, sign func([]byte) []byte) ([]byte, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	fp := Fingerprint(recipient, vk)
	cj := CardJSON{Type: CardType, Version: 2, Name: name, Recipient: recipient,
		VerifyKey: base64.StdEncoding.EncodeToString(vk), Fingerprint: fp,
		SigningKey: base64.StdEncoding.EncodeToString(box)}
	cj.Sig = base64.StdEncoding.EncodeToString(sign(CardSigned(2, name, recipient, vk, fp, box)))
	return marshalCard(cj)
}

func marshalCard(cj CardJSON) ([]byte, error) {
	b, err := json.MarshalIndent(cj, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseCard reads a staff card and verifies its form, recipient, key,
// fingerprint and self-signature. The limits come before any parsing.
func ParseCard(data []byte) (*Card, error) {
	if len(data) > MaxCardSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBadCard, len(data), MaxCardSize)
	}
	var cj CardJSON
	if err := bounds.DecodeStrict(data, bounds.Wire, &cj); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCard, err)
	}
	if cj.Type != CardType {
		return nil, fmt.Errorf("%w: type is %q, want %q", ErrBadCard, cj.Type, CardType)
	}
	if cj.Version != 1 && cj.Version != 2 {
		return nil, fmt.Errorf("%w: version %d (this casevault reads versions 1 and 2)", ErrBadCard, cj.Version)
	}
	if err := CheckName(cj.Name); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCard, err)
	}
	var box []byte
	if cj.Version == 1 {
		// A native identity, whose key is derived from its secret.
		if _, err := crypto.ParseRecipient(cj.Recipient); err != nil || strings.TrimSpace(cj.Recipient) != cj.Recipient || cj.SigningKey != "" {
			return nil, fmt.Errorf("%w: recipient is not an age recipient", ErrBadCard)
		}
	} else {
		// A plugin identity, with its signing key box.
		if _, err := crypto.ParsePluginRecipient(cj.Recipient); err != nil {
			return nil, fmt.Errorf("%w: a version 2 card needs an age plugin recipient", ErrBadCard)
		}
		var err error
		if box, err = base64.StdEncoding.DecodeString(cj.SigningKey); err != nil {
			return nil, fmt.Errorf("%w: signing key box is not base64", ErrBadCard)
		}
		if err := CheckSigningKeyBox(box); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadCard, err)
		}
	}
	vk, err := ParseVerifyKey(cj.VerifyKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCard, err)
	}
	fp := Fingerprint(cj.Recipient, vk)
	if cj.Fingerprint != fp {
		return nil, fmt.Errorf("%w: fingerprint does not match the keys", ErrCardSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(cj.Sig)
	if err != nil || !crypto.Verify(vk, CardSigned(cj.Version, cj.Name, cj.Recipient, vk, fp, box), sig) {
		return nil, ErrCardSignature
	}
	return &Card{Name: cj.Name, Recipient: cj.Recipient, VerifyKey: vk, Fingerprint: fp, SigningKeyBox: box}, nil
}

// ParseVerifyKey decodes a base64 Ed25519 public key.
func ParseVerifyKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("verification key is not a base64 Ed25519 public key (32 bytes)")
	}
	return ed25519.PublicKey(b), nil
}
