package vault

import (
	"errors"

	"github.com/casevault/casevault/vault/internal/store"
)

// caseMeta returns the metadata of case id (empty when none is stored).
func (v *Vault) caseMeta(txn *store.Txn, id CaseID) (CaseMeta, error) {
	var m CaseMeta
	err := v.getJSON(txn, caseMetaKey(id), v.keys.sys, &m)
	if errors.Is(err, errNoRecord) {
		return CaseMeta{}, nil
	}
	return m, err
}

// CaseMeta returns the stored metadata of case id.
func (v *Vault) CaseMeta(id CaseID) (CaseMeta, error) {
	var m CaseMeta
	err := v.view(func(txn *store.Txn) error {
		if _, err := v.caseKey(txn, id); err != nil {
			return err
		}
		var err error
		m, err = v.caseMeta(txn, id)
		return err
	})
	return m, err
}
