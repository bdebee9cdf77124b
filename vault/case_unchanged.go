package vault

import (
	"bytes"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// UpdateCaseIfChanged is UpdateCaseWith that stores nothing when doc is
// the case's current document (after the same normalisation an update
// applies): it then returns the current revision and changed false, and
// writes no revision and no audit entry. A file saved again without a
// change, or re-read from 'case show', is not a new revision.
func (v *Vault) UpdateCaseIfChanged(id CaseID, doc *schema.Case, o AddOptions) (rev *Revision, changed bool, err error) {
	normalizeLocal(doc, o)
	// Read in its own transaction: a read-write open holds the vault
	// alone, so nothing changes the case before the update's commit (and
	// a commit must write an audit entry).
	same := false
	err = v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		cur, err := v.latestRevision(txn, id, dk)
		if err != nil {
			return err
		}
		old, err := cur.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		if (o.Provenance == nil || o.Provenance == cur.Provenance) && bytes.Equal(old.Canonical(), doc.Canonical()) {
			rev, same = cur, true
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	if same {
		return rev, false, nil
	}
	rev, err = v.UpdateCaseWith(id, doc, o)
	if err != nil {
		return nil, false, err
	}
	return rev, true, nil
}
