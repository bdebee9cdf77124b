// Package evidence is the evidence blob store and the evidence record
// codec: the sealed blob files under blobs/ (written through
// vault/atomicfile, streamed with hashing and verified on the way out),
// the record the vault keeps sealed for each item, and the limits on its
// text fields. It knows nothing of the store or the audit log: the vault
// registers a written blob in a transaction and audits every access.
package evidence

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/ids"
)

// Meta describes a stored evidence file. It is kept sealed under the
// case's data key.
type Meta struct {
	ID          string    `json:"id"`
	Case        string    `json:"case"`
	Name        string    `json:"name"`
	MediaType   string    `json:"media_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by"`
	Note        string    `json:"note,omitempty"`
	CollectedBy string    `json:"collected_by,omitempty"`
	CollectedAt string    `json:"collected_at,omitempty"`
	Source      string    `json:"source,omitempty"`
}

// EvidenceMeta is Meta by the name Record embeds it with, which is the
// field name the vault's code reads (rec.EvidenceMeta).
type EvidenceMeta = Meta

// A Record is the stored form of an evidence item: the metadata, the blob
// file's name and the blob's own random stream key. Its JSON is the
// metadata's fields followed by "blob" and "file_key".
type Record struct {
	EvidenceMeta
	Blob    string `json:"blob"`
	FileKey []byte `json:"file_key"`
}

// MaxText bounds each text field of evidence metadata, in bytes.
const MaxText = 4096

// Check requires a decoded record to describe evidence evid of case
// caseID (the IDs of its store key) and to be well formed.
func (r *Record) Check(caseID, evid string) error {
	switch {
	case r.ID != evid || r.Case != caseID:
		return errors.New("evidence or case ID does not match its place")
	case len(r.FileKey) != crypto.KeySize || !ValidName(r.Blob) || r.Size < 0 || len(r.SHA256) != 64:
		return errors.New("malformed evidence record")
	}
	return nil
}

// Key is the stream key of the record's blob.
func (r *Record) Key() crypto.Key {
	var k crypto.Key
	copy(k[:], r.FileKey)
	return k
}

// EvidenceID is the record's evidence ID, the additional data its blob is
// sealed with (zero if the record's ID does not parse).
func (r *Record) EvidenceID() ids.EvidenceID {
	e, _ := ids.ParseEvidenceID(r.ID)
	return e
}

// CheckText normalises the name of m to a base name and bounds its text
// fields by MaxText.
func CheckText(m *Meta) error {
	m.Name = filepath.Base(strings.TrimSpace(m.Name))
	if m.Name == "." || m.Name == "/" {
		m.Name = ""
	}
	for field, s := range map[string]string{"name": m.Name, "note": m.Note, "collected_by": m.CollectedBy,
		"collected_at": m.CollectedAt, "source": m.Source} {
		if len(s) > MaxText {
			return fmt.Errorf("evidence %s is longer than %d bytes", field, MaxText)
		}
	}
	return nil
}

// A DamagedError reports a stored evidence file that is missing, fails
// authentication or does not match its SHA-256.
type DamagedError struct {
	Evidence string
	Err      error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("evidence %s is damaged: %v", e.Evidence, e.Err)
}
func (e *DamagedError) Unwrap() error { return e.Err }

// Is puts a DamagedError among damage.
func (e *DamagedError) Is(target error) bool { return target == errs.ErrDamaged }
