package vault

import "github.com/casevault/casevault/vault/internal/evidence"

// The evidence blob store and record codec live in vault/internal/evidence;
// these names are the API and what the vault's evidence code calls them.

// EvidenceMeta describes a stored evidence file. It is kept sealed under the
// case's data key.
type EvidenceMeta = evidence.Meta

// EvidenceDamagedError reports a stored evidence file that is missing,
// fails authentication or does not match its SHA-256.
type EvidenceDamagedError = evidence.DamagedError

// evidenceRecord is the stored form: the metadata, the blob file's name
// and the blob's own random stream key.
type evidenceRecord = evidence.Record

// Limits and names of evidence files.
const (
	maxEvidenceText = evidence.MaxText
	blobNameLen     = evidence.NameLen
	blobTmpPrefix   = evidence.TmpPrefix
)

func validBlobName(n string) bool { return evidence.ValidName(n) }
