package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/plugin"
)

func testCard(t testing.TB, name string) []byte {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	b, err := EncodeCard(name, id.Recipient().String(), pub, func(m []byte) []byte { return ed25519.Sign(priv, m) })
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testPluginCard is a version 2 card (an age plugin identity's).
func testPluginCard(t testing.TB, name string) []byte {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(nil)
	r := plugin.EncodeRecipient("cvtest", []byte("age1 recipient data"))
	b, err := EncodePluginCard(name, r, pub, []byte("age-encryption.org/v1\n-> cvtest x\nbody\n--- mac\n"), func(m []byte) []byte { return ed25519.Sign(priv, m) })
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testShare returns a signed share payload and its clear line.
func testShare(t testing.TB) ([]byte, string) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	s := Share{Format: ShareFormat, ShareTag: ShareTag{Vault: "0123456789abcdef0123456789abcdef", Split: "0123456789abcdef", Index: 2, Of: 3, Threshold: 2,
		Created: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}, Trustee: "Anna", TrusteeRecipient: "age1x", Org: "Org", OrgVerifyKey: pub, Value: []byte("share value")}
	s.Sig = ed25519.Sign(priv, s.SignedMessage())
	b, _ := json.Marshal(s)
	return b, s.ShareTag.Line()
}

// FuzzParseStaffCard feeds arbitrary bytes to the staff card parser: it
// never panics, and a card it accepts has a valid name and a key whose
// fingerprint it states.
func FuzzParseStaffCard(f *testing.F) {
	f.Add([]byte(`{"type":"casevault-staff-card","version":1}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Add(testCard(f, "Anna"))
	f.Add(testCard(f, "Борис"))
	f.Add(testPluginCard(f, "Hanna HW"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCard(data)
		if err != nil {
			return
		}
		if CheckName(c.Name) != nil || c.Fingerprint != Fingerprint(c.Recipient, c.VerifyKey) {
			t.Fatalf("accepted card %+v", c)
		}
	})
}

// FuzzShareFile feeds arbitrary bytes to the share file parsers (the clear
// line, then the payload as if decrypted): they never panic, and what they
// accept is a well-formed tag and a share signed by the key it names.
func FuzzShareFile(f *testing.F) {
	payload, line := testShare(f)
	f.Add(append([]byte(line+"\n"), payload...))
	f.Add([]byte(ShareLine + " vault=x split=y index=1 of=2 threshold=2 created=2026-01-01T00:00:00Z\n{}"))
	f.Add([]byte("\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tag, rest, err := SplitShareFile(data)
		if err != nil {
			return
		}
		if tag.Check() != nil {
			t.Fatalf("accepted tag %+v", tag)
		}
		s, err := ParseShare(rest, tag)
		if err != nil {
			return
		}
		if s.ShareTag.Line() != tag.Line() || !ed25519.Verify(s.OrgVerifyKey, s.SignedMessage(), s.Sig) {
			t.Fatalf("accepted share %+v", s)
		}
	})
}

// FuzzParseWrap feeds arbitrary bytes to the wrap payload parser.
func FuzzParseWrap(f *testing.F) {
	w := Wrap{Format: WrapFormat, Version: 1, Vault: "v", Staff: "0123456789abcdef0123456789abcdef", DB: "db-0011", MasterKey: make([]byte, 32), OrgVerifyKey: make([]byte, 32)}
	b, _ := json.Marshal(w)
	f.Add(b)
	f.Add([]byte(`{"format":"casevault-staff-wrap","version":1,"master_key":"AAAA"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ParseWrap(data)
		if err != nil {
			return
		}
		if len(w.MasterKey) != 32 || !IsStaffID(w.Staff) {
			t.Fatalf("accepted wrap %+v", w)
		}
	})
}

// What EncodeCard writes ParseCard accepts; one changed byte of the name
// is refused as a bad signature; a share with an edited clear line or
// payload is refused.
func TestCardAndShareRoundTrip(t *testing.T) {
	b := testCard(t, "Anna")
	c, err := ParseCard(b)
	if err != nil || c.Name != "Anna" {
		t.Fatalf("ParseCard = %+v, %v", c, err)
	}
	if _, err := ParseCard(bytes.Replace(b, []byte(`"Anna"`), []byte(`"Anne"`), 1)); !errors.Is(err, ErrCardSignature) {
		t.Fatalf("edited card: %v", err)
	}
	payload, line := testShare(t)
	tag, rest, err := SplitShareFile(append([]byte(line+"\n"), payload...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseShare(rest, tag); err != nil {
		t.Fatalf("ParseShare: %v", err)
	}
	other := tag
	other.Index = 3
	if _, err := ParseShare(rest, other); !errors.Is(err, ErrShareSignature) {
		t.Fatalf("share under another clear line: %v", err)
	}
	if _, err := ParseShare(bytes.Replace(rest, []byte(`"trustee":"Anna"`), []byte(`"trustee":"Anne"`), 1), tag); !errors.Is(err, ErrShareSignature) {
		t.Fatalf("edited share payload: %v", err)
	}
}
