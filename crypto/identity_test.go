package crypto

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"filippo.io/age"
)

func TestGenerateIdentity(t *testing.T) {
	for _, tc := range []struct {
		classic   bool
		secretPfx string
		rcptPfx   string
	}{
		{false, "AGE-SECRET-KEY-PQ-1", "age1pq1"},
		{true, "AGE-SECRET-KEY-1", "age1"},
	} {
		id, err := GenerateIdentity(tc.classic)
		if err != nil {
			t.Fatal(err)
		}
		if id.PostQuantum() == tc.classic {
			t.Errorf("classic=%v: PostQuantum() = %v", tc.classic, id.PostQuantum())
		}
		if !strings.HasPrefix(id.String(), tc.secretPfx) {
			t.Errorf("classic=%v: secret %.20q… lacks prefix %s", tc.classic, id.String(), tc.secretPfx)
		}
		rs := id.RecipientString()
		if !strings.HasPrefix(rs, tc.rcptPfx) || (tc.classic && strings.HasPrefix(rs, "age1pq1")) {
			t.Errorf("classic=%v: recipient %q", tc.classic, rs)
		}
		// The recipient string parses back and encrypts to the identity.
		r, err := ParseRecipient(" " + rs + "\n")
		if err != nil {
			t.Fatalf("ParseRecipient(%q): %v", rs, err)
		}
		ct, err := EncryptToRecipients([]byte("hello"), r)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := DecryptWithIdentity(ct, id.AgeIdentity(), 100)
		if err != nil || string(pt) != "hello" {
			t.Fatalf("decrypt: %q, %v", pt, err)
		}
		// Two generated identities differ.
		id2, _ := GenerateIdentity(tc.classic)
		if id2.String() == id.String() || bytes.Equal(id2.VerifyKey(), id.VerifyKey()) {
			t.Fatal("two generated identities are equal")
		}
	}
}

func TestParseIdentityAgeKeygenFiles(t *testing.T) {
	for _, classic := range []bool{false, true} {
		gen, err := GenerateIdentity(classic)
		if err != nil {
			t.Fatal(err)
		}
		// The layout age-keygen writes: comments, then the key.
		file := "# created: 2026-11-26T23:00:00Z\n# public key: " + gen.RecipientString() + "\n\n" + gen.String() + "\n"
		id, err := ParseIdentity([]byte(file))
		if err != nil {
			t.Fatalf("classic=%v: %v", classic, err)
		}
		if id.String() != gen.String() || id.RecipientString() != gen.RecipientString() || id.PostQuantum() != gen.PostQuantum() {
			t.Fatalf("classic=%v: parsed identity differs from the generated one", classic)
		}
		// CRLF line ends and indentation are tolerated.
		id2, err := ParseIdentity([]byte(strings.ReplaceAll(file, "\n", "\r\n  ")))
		if err != nil || id2.String() != gen.String() {
			t.Fatalf("classic=%v: CRLF file: %v", classic, err)
		}
	}
}

// The identity file of age's own test suite (copied from filippo.io/age
// testdata, BSD-3-Clause) with its comment line.
func TestParseIdentityAgeTestdata(t *testing.T) {
	b, err := os.ReadFile("testdata/age-example-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	id, err := ParseIdentity(b)
	if err != nil {
		t.Fatal(err)
	}
	if id.PostQuantum() {
		t.Fatal("X25519 key reported as post-quantum")
	}
	// Known answer: age.ParseIdentities reads the same key.
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := ids[0].(*age.X25519Identity).Recipient().String()
	if id.RecipientString() != want {
		t.Fatalf("recipient %s, age says %s", id.RecipientString(), want)
	}
}

func TestParseIdentityRejectsGarbage(t *testing.T) {
	gen, _ := GenerateIdentity(true)
	secret := gen.String()
	for name, tc := range map[string]struct {
		text string
		want string
	}{
		"empty":            {"", "no age identity"},
		"only comments":    {"# nothing here\n\n# still nothing\n", "no age identity"},
		"passphrase":       {"correct horse battery staple\n", "line 1: not an age identity"},
		"public key":       {"# comment\n" + gen.RecipientString() + "\n", "line 2: not an age identity"},
		"ssh key":          {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n", "line 1: not an age identity"},
		"bad checksum":     {secret[:len(secret)-1] + flipChar(secret[len(secret)-1]) + "\n", "line 1: malformed secret key"},
		"truncated key":    {secret[:40] + "\n", "line 1: malformed secret key"},
		"truncated pq key": {"AGE-SECRET-KEY-PQ-1QQQQ\n", "line 1: malformed secret key"},
		"binary":           {"\x00\x01\x02\xff", "line 1: not an age identity"},
	} {
		_, err := ParseIdentity([]byte(tc.text))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not contain %q", name, err, tc.want)
		}
		// An error never repeats the secret it could not parse.
		if len(tc.text) > 30 && strings.Contains(err.Error(), strings.TrimSpace(tc.text)[20:30]) {
			t.Errorf("%s: error %q repeats the input", name, err)
		}
	}
	if _, err := ParseIdentity(nil); !errors.Is(err, ErrNoIdentity) {
		t.Errorf("nil input: %v, want ErrNoIdentity", err)
	}
	// A line longer than the scanner allows is an error, not a hang or panic.
	if _, err := ParseIdentity(bytes.Repeat([]byte("A"), 1<<17)); err == nil {
		t.Error("128 KiB line accepted")
	}
}

func flipChar(c byte) string {
	if c == 'q' {
		return "p"
	}
	return "q"
}

func TestSigningKeyDerivedFromIdentity(t *testing.T) {
	for _, classic := range []bool{false, true} {
		gen, _ := GenerateIdentity(classic)
		again, err := ParseIdentity([]byte("# again\n" + gen.String()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gen.VerifyKey(), again.VerifyKey()) {
			t.Fatalf("classic=%v: signing key is not deterministic from the identity", classic)
		}
		msg := []byte("audit entry 1")
		sig := gen.Sign(msg)
		if !bytes.Equal(sig, again.Sign(msg)) {
			t.Fatal("Ed25519 signatures of the same identity differ")
		}
		if !Verify(again.VerifyKey(), msg, sig) {
			t.Fatal("signature does not verify")
		}
		if Verify(again.VerifyKey(), []byte("audit entry 2"), sig) {
			t.Fatal("signature verifies another message")
		}
		bad := bytes.Clone(sig)
		bad[0] ^= 1
		if Verify(gen.VerifyKey(), msg, bad) {
			t.Fatal("altered signature verifies")
		}
		other, _ := GenerateIdentity(classic)
		if Verify(other.VerifyKey(), msg, sig) {
			t.Fatal("signature verifies under another identity's key")
		}
		if Verify(gen.VerifyKey()[:31], msg, sig) || Verify(gen.VerifyKey(), msg, sig[:63]) || Verify(nil, msg, nil) {
			t.Fatal("Verify accepts malformed key or signature")
		}
	}
}
