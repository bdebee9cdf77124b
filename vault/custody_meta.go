package vault

import (
	badger "github.com/dgraph-io/badger/v4"
)

// custodyMeta returns the stored metadata of evidence e, or a
// *NotFoundError once it is gone.
func (v *Vault) custodyMeta(txn *badger.Txn, e EvidenceID) (*EvidenceMeta, error) {
	rec, err := v.evidenceRecordOf(txn, e)
	if err != nil {
		return nil, err
	}
	return &rec.EvidenceMeta, nil
}
