package vault

import "github.com/casevault/casevault/vault/internal/cases"

// The records of a case (revisions, with their canonical JSON, hash and
// compression, and case metadata) are coded in vault/internal/cases; the
// *Vault methods that store and read them stay here. These names are the
// API.

// Provenance records where an imported case came from.
type Provenance = cases.Provenance

// A Revision is one immutable version of a case file.
type Revision = cases.Revision

// CaseMeta is what the vault keeps about a case besides its revisions,
// sealed under the system key at caseMetaKey: the identifiers it is
// published under, and whether it is quarantined.
type CaseMeta = cases.Meta

// A Quarantine records why and since when a case is quarantined.
type Quarantine = cases.Quarantine

// QuarantinedError reports a case that is quarantined (it came from a
// removed partner) being published, shared or exported in a bundle.
type QuarantinedError = cases.QuarantinedError

// maxRevisionJSON bounds what a compressed revision may inflate to.
const maxRevisionJSON = cases.MaxRevisionJSON

// errRecordTooLarge is a revision too large to read: it can be removed
// and purged (see revisionHead), not read.
var errRecordTooLarge = cases.ErrRecordTooLarge

// marshalJSON is json.Marshal without HTML escaping, for every record
// that embeds a canonical document (SECURITY.md, "Canonical JSON").
func marshalJSON(v any) ([]byte, error) { return cases.MarshalJSON(v) }

func publicIdentifiers(m CaseMeta, consent string) (CaseMeta, bool) {
	return cases.PublicIdentifiers(m, consent)
}

func randomID() string { return cases.RandomID() }
