package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
)

// A staff member whose identity is an age plugin (a hardware token) has
// no secret to derive an Ed25519 key from. Their card (version 2) carries
// instead a signing key box: an age file to their plugin recipient
// holding a random Ed25519 seed, made when the card is made. The card is
// signed with that seed and covers the box; the owner keeps the box in the
// member's staff record and puts it in each of the member's wraps; the
// member's casevault opens it with the plugin identity at unlock. See
// SECURITY.md, "Staff", "Plugin identities".

// SigningKeyFormat is the "format" of a signing key box's payload.
const SigningKeyFormat = "casevault-staff-signing-key"

// MaxSigningKeyBox bounds a signing key box (an age file of a few hundred
// bytes; plugins' stanzas vary).
const MaxSigningKeyBox = 8 << 10

// maxSigningKeyPayload bounds its decrypted payload.
const maxSigningKeyPayload = 1 << 10

const ageHeader = "age-encryption.org/v1\n"

type signingKeyPayload struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Recipient string `json:"recipient"`
	Seed      []byte `json:"seed"`
}

// SealSigningKey draws a new Ed25519 seed and returns it with its box:
// the seed, with the recipient it belongs to, encrypted to recipient (an
// age plugin recipient; the plugin binary runs).
func SealSigningKey(recipient string) (seed, box []byte, err error) {
	r, err := crypto.ParsePluginRecipient(recipient)
	if err != nil {
		return nil, nil, fmt.Errorf("recipient %q: %v", recipient, err)
	}
	seed = make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, nil, err
	}
	pt, err := json.Marshal(signingKeyPayload{Format: SigningKeyFormat, Version: 1, Recipient: recipient, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	box, err = crypto.EncryptToRecipients(pt, r)
	crypto.Wipe(pt)
	if err != nil {
		crypto.Wipe(seed)
		return nil, nil, err
	}
	return seed, box, nil
}

// CheckSigningKeyBox checks the form of a box without opening it.
func CheckSigningKeyBox(box []byte) error {
	if len(box) > MaxSigningKeyBox {
		return fmt.Errorf("signing key box is %d bytes, the limit is %d", len(box), MaxSigningKeyBox)
	}
	if !bytes.HasPrefix(box, []byte(ageHeader)) {
		return errors.New("signing key box is not an age file")
	}
	return nil
}

// OpenSigningKey decrypts a signing key box with a plugin identity and
// gives the identity its signing key. The box must name the identity's
// recipient; whether the key is the member's is for the caller to check
// (the staff ID of id.VerifyKey()).
func OpenSigningKey(box []byte, id *crypto.Identity) error {
	if err := CheckSigningKeyBox(box); err != nil {
		return err
	}
	pt, err := crypto.DecryptWithIdentity(box, id.AgeIdentity(), maxSigningKeyPayload)
	if err != nil {
		return fmt.Errorf("signing key box: %w", err)
	}
	defer crypto.Wipe(pt)
	var p signingKeyPayload
	if err := bounds.DecodeStrict(pt, bounds.Wire, &p); err != nil {
		return fmt.Errorf("signing key box: %v", err)
	}
	defer crypto.Wipe(p.Seed)
	switch {
	case p.Format != SigningKeyFormat || p.Version != 1:
		return fmt.Errorf("signing key box: format %q version %d", p.Format, p.Version)
	case p.Recipient != id.RecipientString():
		return errors.New("signing key box belongs to another recipient")
	}
	return id.SetSigningSeed(p.Seed)
}
