package cardfmt

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"

	"filippo.io/age"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// testCard encodes a card for org with a fresh key; with rotate it is a
// rotation card signed by a second, previous key as well.
func testCard(t testing.TB, org string, rotate bool) []byte {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	sign := func(m []byte) []byte { return ed25519.Sign(priv, m) }
	var prev ed25519.PublicKey
	var prevSig []byte
	if rotate {
		ppub, ppriv, _ := ed25519.GenerateKey(nil)
		prev = ppub
		prevSig = ed25519.Sign(ppriv, RotationSigned(org, id.Recipient().String(), pub, Fingerprint(id.Recipient().String(), pub), prev))
	}
	b, err := Encode(org, id.Recipient().String(), pub, sign, prev, prevSig)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParseCard feeds arbitrary bytes to the organisation card parser: it
// never panics, and a card it accepts names a valid organisation.
func FuzzParseCard(f *testing.F) {
	f.Add([]byte(`{"type":"casevault-org-card","version":1}`))
	f.Add([]byte(`{"type":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Add(testCard(f, "Alpha", false))
	f.Add(testCard(f, "Бета", true))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		if err := orgname.Check(c.Org); err != nil {
			t.Fatalf("accepted a card with organisation name %q: %v", c.Org, err)
		}
	})
}

// What Encode writes, Parse accepts, plain and rotation cards alike; one
// changed byte of the name is refused as a bad signature.
func TestEncodeParse(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		b := testCard(t, "Alpha", rotate)
		c, err := Parse(b)
		if err != nil {
			t.Fatalf("rotate=%v: %v", rotate, err)
		}
		if c.Org != "Alpha" || (c.PreviousVerifyKey != nil) != rotate {
			t.Fatalf("rotate=%v: parsed %+v", rotate, c)
		}
		bad := bytes.Replace(b, []byte(`"Alpha"`), []byte(`"Alphb"`), 1)
		if _, err := Parse(bad); !errors.Is(err, ErrSignature) {
			t.Fatalf("rotate=%v: altered name: %v, want ErrSignature", rotate, err)
		}
	}
}
