package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

// A version 2 card (a plugin identity's): its signing key box is covered
// by the signature, it needs a plugin recipient, and a version 1 card may
// carry neither a box nor a plugin recipient.
func TestPluginCard(t *testing.T) {
	x, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	prcpt := plugin.EncodeRecipient("cvtest", []byte(x.Recipient().String()))
	pub, priv, _ := ed25519.GenerateKey(nil)
	sign := func(m []byte) []byte { return ed25519.Sign(priv, m) }
	box := []byte("age-encryption.org/v1\n-> cvtest stanza\nbody\n--- mac\nciphertext")

	card, err := EncodePluginCard("Hanna HW", prcpt, pub, box, sign)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCard(card)
	if err != nil {
		t.Fatalf("a plugin card does not parse: %v", err)
	}
	if !bytes.Equal(c.SigningKeyBox, box) || c.Recipient != prcpt || !bytes.Equal(c.VerifyKey, pub) {
		t.Fatalf("parsed card differs: %+v", c)
	}

	edit := func(fn func(*CardJSON)) []byte {
		var cj CardJSON
		if err := json.Unmarshal(card, &cj); err != nil {
			t.Fatal(err)
		}
		fn(&cj)
		b, _ := json.Marshal(cj)
		return b
	}
	other := []byte("age-encryption.org/v1\n-> cvtest other\nbody\n--- mac\nciphertext")
	for _, tc := range []struct {
		name string
		card []byte
		want error
	}{
		{"box swapped", edit(func(cj *CardJSON) { cj.SigningKey = b64(other) }), ErrCardSignature},
		{"box not an age file", edit(func(cj *CardJSON) { cj.SigningKey = b64([]byte("garbage")) }), ErrBadCard},
		{"box missing", edit(func(cj *CardJSON) { cj.SigningKey = "" }), ErrBadCard},
		{"native recipient on version 2", edit(func(cj *CardJSON) { cj.Recipient = x.Recipient().String() }), ErrBadCard},
		{"version 1 with a box", edit(func(cj *CardJSON) { cj.Version = 1 }), ErrBadCard},
	} {
		if _, err := ParseCard(tc.card); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// A version 1 card of a plugin recipient (its key would be derived
	// from no secret) is refused.
	v1, err := EncodeCard("Hanna HW", prcpt, pub, sign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCard(v1); !errors.Is(err, ErrBadCard) {
		t.Errorf("version 1 card with a plugin recipient: got %v", err)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
