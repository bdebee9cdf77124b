package cases

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeRevision decodes arbitrary plaintexts as a revision record,
// as a hostile store would present them once its sealing key is known.
// Decoding must fail cleanly or return a revision consistent with its
// place and hash; a compact document re-encodes to a record that decodes
// to the same revision.
func FuzzDecodeRevision(f *testing.F) {
	doc := []byte(`{"schema":"case.v1","person":{"name":"Ivan & <Petrov>"},"status":"pretrial"}`)
	r := &Revision{CaseID: "cabc", Rev: 3, Author: "a", Op: "case.add", SHA256: Hash(doc), Doc: doc}
	enc, _ := EncodeRevision(r)
	plain, _ := MarshalJSON(r)
	legacy, _ := json.Marshal(r) // HTML-escaped, as before canonical JSON
	f.Add("cabc", uint32(3), enc)
	f.Add("cabc", uint32(3), plain)
	f.Add("cabc", uint32(3), legacy)
	f.Add("cabc", uint32(1), []byte(`{"case":"cabc","rev":1,"sha256":"00","doc":{}}`))
	f.Add("", uint32(0), []byte("z\x00"))
	f.Fuzz(func(t *testing.T, id string, n uint32, pt []byte) {
		_, _ = DecodeRevisionHead(pt, id, n)
		r, err := DecodeRevision(pt, id, n)
		if err != nil {
			return
		}
		if r.Rev != n || r.CaseID != id || Hash(r.Doc) != r.SHA256 {
			t.Fatalf("inconsistent revision accepted: %+v", r)
		}
		var compact bytes.Buffer
		if json.Compact(&compact, r.Doc) != nil || !bytes.Equal(compact.Bytes(), r.Doc) {
			return
		}
		b, err := EncodeRevision(r)
		if err != nil {
			return // too large once re-encoded
		}
		again, err := DecodeRevision(b, id, n)
		if err != nil || !bytes.Equal(again.Doc, r.Doc) || again.SHA256 != r.SHA256 {
			t.Fatalf("re-encoded revision does not decode the same: %v", err)
		}
		if h, err := DecodeRevisionHead(b, id, n); err != nil || h.SHA256 != r.SHA256 {
			t.Fatalf("head of a re-encoded revision: %v", err)
		}
	})
}
