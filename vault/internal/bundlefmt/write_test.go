package bundlefmt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/casevault/casevault/vault/internal/ids"
)

// What Write writes, Read reads back through age: the manifest, its
// signature (checked with the verify function the caller passes) and
// every entry with its bytes; a flipped byte of the file is refused as
// tampered.
func TestWriteReadRoundTrip(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	caseData := []byte(`{"origin_case_id":"x"}`)
	evData := bytes.Repeat([]byte("evidence "), 1000)
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	m := Manifest{Format: Format, Version: Version, BundleID: ids.NewBundleID().String(),
		Sender:    Party{Org: "Alpha", Recipient: "age1x", VerifyKey: pub},
		Recipient: Party{Org: "Beta", Recipient: id.Recipient().String()},
		AuditHead: AuditHead{Seq: 1, Hash: strings.Repeat("ab", 32)},
		Entries: []ManifestEntry{
			{Name: "cases/" + ids.NewCaseID().String() + ".json", Kind: KindCase, Size: int64(len(caseData)), SHA256: sum(caseData)},
			{Name: "evidence/" + ids.NewEvidenceID().String() + ".bin", Kind: KindEvidence, Size: int64(len(evData)), SHA256: sum(evData)},
		}}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	sig := SignManifest(raw, func(msg []byte) []byte { return ed25519.Sign(priv, msg) })
	items := []Item{{Entry: m.Entries[0], Data: caseData},
		{Entry: m.Entries[1], Write: func(w io.Writer) error { _, err := w.Write(evData); return err }}}
	var file bytes.Buffer
	if err := Write(&file, id.Recipient(), raw, sig, items); err != nil {
		t.Fatal(err)
	}

	read := func(b []byte) (map[string][]byte, error) {
		r, err := age.Decrypt(bytes.NewReader(b), id)
		if err != nil {
			return nil, err
		}
		got := map[string][]byte{}
		_, _, err = Read(AuthReader(r), DefaultLimits, Handler{
			Verify: func(m *Manifest, raw, sig []byte) error {
				if !VerifyManifest(raw, sig, func(msg, sig []byte) bool { return ed25519.Verify(pub, msg, sig) }) {
					return Tampered("signature")
				}
				return nil
			},
			CaseData: func(e ManifestEntry, d []byte) error { got[e.Name] = d; return nil },
			Evidence: func(e ManifestEntry, r io.Reader) error {
				d, err := io.ReadAll(r)
				got[e.Name] = d
				return err
			},
		})
		return got, err
	}
	got, err := read(file.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[m.Entries[0].Name], caseData) || !bytes.Equal(got[m.Entries[1].Name], evData) {
		t.Fatalf("entries read back differ: %d and %d bytes", len(got[m.Entries[0].Name]), len(got[m.Entries[1].Name]))
	}

	bad := bytes.Clone(file.Bytes())
	bad[len(bad)-20] ^= 1
	_, err = read(bad)
	var be *Error
	if !errors.As(err, &be) || !be.Tampered {
		t.Fatalf("flipped byte: %v, want a tampered bundle error", err)
	}
}
