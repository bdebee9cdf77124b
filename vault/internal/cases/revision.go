package cases

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/casevault/casevault/vault/internal/audit"

	"github.com/casevault/casevault/schema"
)

// Provenance records where an imported case came from.
type Provenance struct {
	Org          string    `json:"org"`
	BundleID     string    `json:"bundle_id"`
	OriginCaseID string    `json:"origin_case_id"`
	ImportedAt   time.Time `json:"imported_at"`
}

// A Revision is one immutable version of a case file. Op is the audit
// operation that wrote it.
type Revision struct {
	CaseID     string          `json:"case"`
	Rev        uint32          `json:"rev"`
	Time       time.Time       `json:"time"`
	Author     string          `json:"author"`
	Op         audit.Op        `json:"op"`
	SHA256     string          `json:"sha256"` // of Doc
	Doc        json.RawMessage `json:"doc"`
	Provenance *Provenance     `json:"provenance,omitempty"`
}

// Case parses the revision's document.
func (r *Revision) Case() (*schema.Case, error) { return schema.FromStored(r.Doc) }

// Hash is the hex SHA-256 of a canonical document, as a revision records
// it.
func Hash(doc []byte) string {
	h := sha256.Sum256(doc)
	return hex.EncodeToString(h[:])
}

// EncodeRevision is the plaintext of a revision record: its JSON without
// HTML escaping, compressed. A revision that would inflate beyond
// MaxRevisionJSON is refused (never store what cannot be read back).
func EncodeRevision(r *Revision) ([]byte, error) {
	b, err := MarshalJSON(r)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRevisionJSON {
		return nil, fmt.Errorf("%w: the stored revision would take %d bytes, the limit is %d bytes", schema.ErrTooLarge, len(b), MaxRevisionJSON)
	}
	return Compress(b), nil
}

// DecodeRevision reads the plaintext of a revision record stored as
// revision n of case id: its number and case must match that place and
// its document its hash.
func DecodeRevision(pt []byte, id string, n uint32) (*Revision, error) {
	pt, err := Decompress(pt)
	if err != nil {
		return nil, err
	}
	var r Revision
	if err := json.Unmarshal(pt, &r); err != nil {
		return nil, err
	}
	if r.Rev != n || r.CaseID != id {
		return nil, errors.New("revision number or case does not match its place")
	}
	if Hash(r.Doc) != r.SHA256 {
		// Revisions written before version 0.x (commit d407e05 and
		// earlier) embedded the document HTML-escaped after hashing it:
		// accept the hash over the unescaped bytes, which decode to the
		// same value, and hand out those canonical bytes (SECURITY.md,
		// "Canonical JSON").
		legacy, changed := UnescapeHTMLJSON(r.Doc)
		if !changed || Hash(legacy) != r.SHA256 {
			return nil, errors.New("document hash mismatch")
		}
		r.Doc = legacy
	}
	return &r, nil
}

// DecodeRevisionHead reads the fields of a revision record stored as
// revision n of case id, without its document, reading only the start of
// the record (the case, number and hash come before the document). It is
// how a revision too large to read (ErrRecordTooLarge) is removed and
// purged.
func DecodeRevisionHead(pt []byte, id string, n uint32) (*Revision, error) {
	var r io.Reader = bytes.NewReader(pt)
	if len(pt) > 0 && pt[0] == CompressedMarker {
		fr := flate.NewReader(bytes.NewReader(pt[1:]))
		defer fr.Close()
		r = fr
	}
	rev, err := readRevisionHead(r)
	if err != nil {
		return nil, err
	}
	if rev.Rev != n || rev.CaseID != id {
		return nil, errors.New("revision number or case does not match its place")
	}
	if h, err := hex.DecodeString(rev.SHA256); err != nil || len(h) != 32 {
		return nil, errors.New("revision hash is not a SHA-256")
	}
	return rev, nil
}

// readRevisionHead decodes the fields of a revision's JSON up to its
// document, which it does not read.
func readRevisionHead(r io.Reader) (*Revision, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxRevisionJSON))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("revision is not a JSON object")
	}
	var rev Revision
	for n := 0; n < 16 && dec.More(); n++ {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		switch name {
		case "doc":
			if rev.SHA256 == "" {
				return nil, errors.New("revision has no hash before its document")
			}
			return &rev, nil
		case "case":
			err = dec.Decode(&rev.CaseID)
		case "rev":
			err = dec.Decode(&rev.Rev)
		case "sha256":
			err = dec.Decode(&rev.SHA256)
		case "time":
			err = dec.Decode(&rev.Time)
		case "author":
			err = dec.Decode(&rev.Author)
		case "op":
			err = dec.Decode(&rev.Op)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, fmt.Errorf("revision field %q: %w", name, err)
		}
	}
	return nil, errors.New("revision has no document")
}
