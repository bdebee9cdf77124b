package bundlefmt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"testing"

	"filippo.io/age"
)

func testParty(t testing.TB, org string) (Party, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return Party{Org: org, Recipient: "age1x", VerifyKey: pub}, priv
}

// cutParts cuts stream into parts of per bytes and returns the decrypted
// part streams.
func cutParts(t testing.TB, stream []byte, per int64, id *age.X25519Identity, priv ed25519.PrivateKey, sender Party) [][]byte {
	t.Helper()
	var files []*bytes.Buffer
	hdr := PartHeader{BundleID: "b" + "aaaaaaaaaaaaaaaa", ManifestSHA256: string(bytes.Repeat([]byte("a"), 64)), Sender: sender, Recipient: Party{Org: "Beta", Recipient: id.Recipient().String()}}
	pw, n, err := NewPartWriter(hdr, int64(len(stream)), per, id.Recipient(), func(m []byte) []byte { return ed25519.Sign(priv, m) },
		func(int) (io.Writer, error) { b := &bytes.Buffer{}; files = append(files, b); return b, nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Fatalf("%d parts announced, %d written", n, len(files))
	}
	var out [][]byte
	for _, f := range files {
		r, err := age.Decrypt(f, id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestPartsRoundTrip: the pieces of the parts, read in order, are the
// stream; a piece altered, or a part signed by another key, is refused.
func TestPartsRoundTrip(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	sender, priv := testParty(t, "Alpha")
	stream := make([]byte, 50_000)
	rand.Read(stream)
	parts := cutParts(t, stream, 12_000, id, priv, sender)
	if len(parts) != 5 {
		t.Fatalf("%d parts, want 5", len(parts))
	}
	verify := func(m, s []byte) bool { return ed25519.Verify(sender.VerifyKey, m, s) }
	var got []byte
	for i, p := range parts {
		pr, err := NewPartReader(bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		if pr.Header.Part != i+1 || pr.Header.Parts != 5 || !pr.Verify(verify) {
			t.Fatalf("part %d: header %+v", i+1, pr.Header)
		}
		body, err := pr.Payload(verify)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b...)
	}
	if !bytes.Equal(got, stream) {
		t.Fatal("the pieces are not the stream")
	}
	// A byte of a piece changed (in the decrypted tar: as a sender's key
	// holder could): the end check fails.
	bad := bytes.Clone(parts[1])
	i := bytes.Index(bad, stream[12_000:12_010])
	bad[i] ^= 1
	pr, err := NewPartReader(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	body, err := pr.Payload(verify)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(body); err == nil {
		t.Fatal("an altered piece was read without an error")
	}
	// Another sender's key: the header does not verify.
	other, _ := testParty(t, "Mallory")
	pr, _ = NewPartReader(bytes.NewReader(parts[0]))
	if pr.Verify(func(m, s []byte) bool { return ed25519.Verify(other.VerifyKey, m, s) }) {
		t.Fatal("a part verified with another key")
	}
}

// FuzzPartReader: arbitrary decrypted part streams never panic, and a
// payload is only ever returned in full with a valid end signature.
func FuzzPartReader(f *testing.F) {
	id, _ := age.GenerateX25519Identity()
	sender, priv := testParty(f, "Alpha")
	for _, p := range cutParts(f, bytes.Repeat([]byte("x"), 3000), 1000, id, priv, sender) {
		f.Add(p)
	}
	f.Add([]byte{})
	verify := func(m, s []byte) bool { return ed25519.Verify(sender.VerifyKey, m, s) }
	f.Fuzz(func(t *testing.T, data []byte) {
		pr, err := NewPartReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		_ = pr.Verify(verify)
		body, err := pr.Payload(verify)
		if err != nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(body, 1<<20))
		if err == nil && int64(len(b)) != pr.Header.Size {
			t.Fatalf("payload of %d bytes accepted, header says %d", len(b), pr.Header.Size)
		}
	})
}
