package crypto

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseIdentity feeds arbitrary identity files to ParseIdentity: it
// must not panic, must not echo input it rejects, and an identity it
// accepts must round-trip through its text form.
func FuzzParseIdentity(f *testing.F) {
	f.Add([]byte("# created: 2026-01-01\n# public key: age1xyz\nAGE-SECRET-KEY-184JMZMVQH3E6U0PSL869004Y3U2NYV7R30EU99CSEDNPH02YUVFSZW44VU\n"))
	f.Add([]byte("AGE-SECRET-KEY-PQ-1QQQQ\n"))
	f.Add([]byte("\n\n#\r\n  AGE-SECRET-KEY-1\n"))
	f.Add([]byte("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ParseIdentity(data)
		if err != nil {
			if id != nil {
				t.Fatal("identity returned with an error")
			}
			return
		}
		again, err := ParseIdentity([]byte(id.String()))
		if err != nil || again.String() != id.String() || again.RecipientString() != id.RecipientString() {
			t.Fatalf("accepted identity does not round-trip: %v", err)
		}
		if !bytes.Equal(again.VerifyKey(), id.VerifyKey()) {
			t.Fatal("signing key differs after a round trip")
		}
		if !strings.HasPrefix(id.String(), "AGE-SECRET-KEY-") {
			t.Fatalf("accepted a non-age identity")
		}
	})
}
