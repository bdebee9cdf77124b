// Package cardfmt is the organisation card format: the signed JSON card
// that names an organisation, its age recipient and its Ed25519
// verification key, the fingerprint people compare over the phone, and
// rotation cards signed by the old and the new key. It knows nothing of
// the vault: the caller signs with a function it passes in.
package cardfmt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// MaxSize is the largest organisation card Parse reads, in bytes.
// A post-quantum recipient is about 2,000 characters; a card is far smaller
// than this.
const MaxSize = 64 << 10

// JSONLimits bound the structure of a card.
var JSONLimits = bounds.Wire

// Type is the value of the "type" field of every organisation card.
const Type = "casevault-org-card"

// A Card is a verified organisation card: the public description of a
// partner organisation, signed by the organisation's own key.
type Card struct {
	// Org is the organisation's name.
	Org string
	// Recipient is the organisation's age recipient (age1… or age1pq1…),
	// to which bundles for it are encrypted.
	Recipient string
	// VerifyKey is the Ed25519 key that checks the organisation's
	// signatures on cards, bundle manifests and audit entries.
	VerifyKey ed25519.PublicKey
	// Fingerprint is a short digest of Recipient and VerifyKey in groups
	// that two people can read to each other over the phone.
	Fingerprint string
	// PreviousVerifyKey is set on a rotation card: the organisation's key
	// before an identity rotation, which signed this card as well (see
	// RotateIdentity). AddOrg accepts such a card as an update of the
	// organisation whose stored key is PreviousVerifyKey.
	PreviousVerifyKey ed25519.PublicKey
}

// JSON is the wire form of a card.
type JSON struct {
	Type        string `json:"type"`
	Version     int    `json:"version"`
	Org         string `json:"org"`
	Recipient   string `json:"recipient"`
	VerifyKey   string `json:"verify_key"`
	Fingerprint string `json:"fingerprint"`
	Sig         string `json:"sig"`
	// Rotation cards only: the previous verify key and its signature.
	PreviousVerifyKey string `json:"previous_verify_key,omitempty"`
	PreviousSig       string `json:"previous_sig,omitempty"`
}

// Errors returned by Parse, wrapped with details.
var (
	// ErrBad means the data is not a well-formed organisation card.
	ErrBad = errs.New(errs.ErrInvalid, "not a valid organisation card")
	// ErrSignature means the card's self-signature does not verify.
	ErrSignature = errs.New(errs.ErrDamaged, "organisation card signature does not verify (card altered or forged)")
)

var fpEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Fingerprint returns the fingerprint of an organisation's keys: SHA-256
// over a domain label, the age recipient and the Ed25519 verification key,
// of which the first 160 bits are shown as 8 groups of 4 base32 characters
// (a-z, 2-7) separated by spaces.
func Fingerprint(recipient string, verifyKey ed25519.PublicKey) string {
	h := sha256.New()
	h.Write([]byte("casevault org fingerprint v1\x00"))
	writeField(h, []byte(recipient))
	writeField(h, verifyKey)
	sum := h.Sum(nil)
	s := fpEncoding.EncodeToString(sum[:20])
	groups := make([]string, 0, 8)
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, " ")
}

type byteWriter interface{ Write([]byte) (int, error) }

// writeField writes a 4-byte big-endian length and the bytes, so that the
// concatenation of fields is unambiguous.
func writeField(w byteWriter, b []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	w.Write(n[:])
	w.Write(b)
}

// Signed is what a card's signature covers: a domain label and
// every field but the signature, each length-prefixed.
func Signed(version int, org, recipient string, vk ed25519.PublicKey, fp string) []byte {
	var b bytes.Buffer
	b.WriteString("casevault org card v1\x00")
	writeField(&b, []byte(Type))
	writeField(&b, []byte(fmt.Sprint(version)))
	writeField(&b, []byte(org))
	writeField(&b, []byte(recipient))
	writeField(&b, vk)
	writeField(&b, []byte(fp))
	return b.Bytes()
}

// RotationSigned is what both signatures of a rotation card cover: the
// card's fields and the previous verify key.
func RotationSigned(org, recipient string, vk ed25519.PublicKey, fp string, prev ed25519.PublicKey) []byte {
	b := Signed(1, org, recipient, vk, fp)
	b = append(b, "rotated from\x00"...)
	var lb bytes.Buffer
	writeField(&lb, prev)
	return append(b, lb.Bytes()...)
}

// Encode returns the card of an organisation as JSON, signed with sign
// (the organisation's Ed25519 key, whose public half is vk). With prev set,
// it is a rotation card: prevSig is the previous key's signature of
// RotationSigned, which the caller kept from the rotation.
func Encode(org, recipient string, vk ed25519.PublicKey, sign func([]byte) []byte, prev ed25519.PublicKey, prevSig []byte) ([]byte, error) {
	fp := Fingerprint(recipient, vk)
	cj := JSON{Type: Type, Version: 1, Org: org, Recipient: recipient,
		VerifyKey: base64.StdEncoding.EncodeToString(vk), Fingerprint: fp}
	if prev != nil {
		cj.Sig = base64.StdEncoding.EncodeToString(sign(RotationSigned(org, recipient, vk, fp, prev)))
		cj.PreviousVerifyKey = base64.StdEncoding.EncodeToString(prev)
		cj.PreviousSig = base64.StdEncoding.EncodeToString(prevSig)
	} else {
		cj.Sig = base64.StdEncoding.EncodeToString(sign(Signed(1, org, recipient, vk, fp)))
	}
	b, err := json.MarshalIndent(cj, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Parse reads an organisation card and verifies it: its form, its
// recipient and key, its fingerprint and its self-signature. A valid card
// proves only that whoever made it holds the key it names; that the key
// belongs to the organisation it names is for people to confirm by
// comparing the fingerprint over another channel.
func Parse(data []byte) (*Card, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBad, len(data), MaxSize)
	}
	var cj JSON
	if err := bounds.DecodeStrict(data, JSONLimits, &cj); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBad, err)
	}
	if cj.Type != Type {
		return nil, fmt.Errorf("%w: type is %q, want %q", ErrBad, cj.Type, Type)
	}
	if cj.Version != 1 {
		return nil, fmt.Errorf("%w: version %d (this casevault reads version 1)", ErrBad, cj.Version)
	}
	if err := orgname.Check(cj.Org); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBad, err)
	}
	if _, err := crypto.ParseRecipient(cj.Recipient); err != nil || strings.TrimSpace(cj.Recipient) != cj.Recipient {
		return nil, fmt.Errorf("%w: recipient is not an age recipient", ErrBad)
	}
	vk, err := ParseVerifyKey(cj.VerifyKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBad, err)
	}
	fp := Fingerprint(cj.Recipient, vk)
	if cj.Fingerprint != fp {
		return nil, fmt.Errorf("%w: fingerprint does not match the keys", ErrSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(cj.Sig)
	if err != nil {
		return nil, ErrSignature
	}
	card := &Card{Org: cj.Org, Recipient: cj.Recipient, VerifyKey: vk, Fingerprint: fp}
	if cj.PreviousVerifyKey == "" && cj.PreviousSig == "" {
		if !crypto.Verify(vk, Signed(cj.Version, cj.Org, cj.Recipient, vk, fp), sig) {
			return nil, ErrSignature
		}
		return card, nil
	}
	// A rotation card: both the new and the previous key sign it.
	prev, err := ParseVerifyKey(cj.PreviousVerifyKey)
	if err != nil {
		return nil, fmt.Errorf("%w: previous_verify_key: %v", ErrBad, err)
	}
	if bytes.Equal(prev, vk) {
		return nil, fmt.Errorf("%w: previous_verify_key is the card's own key", ErrBad)
	}
	psig, err := base64.StdEncoding.DecodeString(cj.PreviousSig)
	msg := RotationSigned(cj.Org, cj.Recipient, vk, fp, prev)
	if !crypto.Verify(vk, msg, sig) {
		return nil, ErrSignature
	}
	if err != nil || !crypto.Verify(prev, msg, psig) {
		return nil, fmt.Errorf("%w: the previous key's signature does not verify", ErrSignature)
	}
	card.PreviousVerifyKey = prev
	return card, nil
}

// ParseVerifyKey decodes a base64 Ed25519 verification key as printed on
// organisation cards.
func ParseVerifyKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("verification key is not a base64 Ed25519 public key (32 bytes)")
	}
	return ed25519.PublicKey(b), nil
}
