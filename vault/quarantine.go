package vault

import (
	"errors"
	"fmt"
	"sort"

	"github.com/casevault/casevault/vault/internal/store"
)

// CasesFrom returns the local cases that hold cases received from
// organisation org (removed or not), sorted, leaving out cases since
// removed.
func (v *Vault) CasesFrom(org string) ([]CaseID, error) {
	var out []CaseID
	err := v.view(func(txn *store.Txn) error {
		pfx := key(pOrigin, v.orgMAC(org))
		it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: true})
		defer it.Close()
		seen := map[CaseID]bool{}
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			var rec originRecord
			if err := v.getJSON(txn, k, v.keys.sys, &rec); err != nil {
				return err
			}
			id, err := ParseCaseID(rec.Case)
			if err != nil {
				return &CorruptError{What: describeKey(k), Err: err}
			}
			if _, err := txn.Get(caseKeyKey(id)); errors.Is(err, store.ErrKeyNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, err
}

// Quarantine marks cases as quarantined because they came from org: they
// stay in the vault, searchable for the organisation's own work, but
// Publish leaves them out (and refuses them by name), and ShareCase and
// ExportBundle refuse them, until Release. The mark is in the case's
// sealed metadata (CaseMeta.Quarantine).
func (v *Vault) Quarantine(ids []CaseID, org string) error {
	return v.commit(func(c *change) error {
		for _, id := range ids {
			if _, err := v.caseKey(c.txn, id); err != nil {
				return err
			}
			m, err := v.caseMeta(c.txn, id)
			if err != nil {
				return err
			}
			if m.Quarantine != nil {
				continue
			}
			m.Quarantine = &Quarantine{Org: org, Since: v.now()}
			if err := c.putJSON(caseMetaKey(id), v.keys.sys, m); err != nil {
				return err
			}
			c.audit(OpCaseQuarantine, []string{id.String(), org}, nil)
		}
		return nil
	})
}

// Release lifts the quarantine of case id. It reports whether the case was
// quarantined.
func (v *Vault) Release(id CaseID) (bool, error) {
	released := false
	err := v.commit(func(c *change) error {
		if _, err := v.caseKey(c.txn, id); err != nil {
			return err
		}
		m, err := v.caseMeta(c.txn, id)
		if err != nil || m.Quarantine == nil {
			return err
		}
		m.Quarantine = nil
		released = true
		if err := c.putJSON(caseMetaKey(id), v.keys.sys, m); err != nil {
			return err
		}
		c.audit(OpCaseRelease, []string{id.String()}, nil)
		return nil
	})
	return released, err
}

// IsQuarantined reports whether case id is quarantined, and from which
// organisation it came. Publish, ShareCase and ExportBundle honour it.
func (v *Vault) IsQuarantined(id CaseID) (bool, string, error) {
	m, err := v.CaseMeta(id)
	if err != nil || m.Quarantine == nil {
		return false, "", err
	}
	return true, m.Quarantine.Org, nil
}

// refuseQuarantined returns a *QuarantinedError when case id is
// quarantined (for share and bundle export, inside their transaction).
func (v *Vault) refuseQuarantined(txn *store.Txn, id CaseID) error {
	m, err := v.caseMeta(txn, id)
	if err != nil {
		return fmt.Errorf("case %s: %w", id, err)
	}
	if m.Quarantine != nil {
		return &QuarantinedError{ID: id.String(), Org: m.Quarantine.Org}
	}
	return nil
}
