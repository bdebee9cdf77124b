package vault

import (
	"github.com/casevault/casevault/vault/internal/store"
)

// custodyMeta returns the stored metadata of evidence e, or a
// *NotFoundError once it is gone.
func (v *Vault) custodyMeta(txn *store.Txn, e EvidenceID) (*EvidenceMeta, error) {
	rec, err := v.evidenceRecordOf(txn, e)
	if err != nil {
		return nil, err
	}
	return &rec.EvidenceMeta, nil
}
