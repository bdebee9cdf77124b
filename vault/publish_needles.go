package vault

import (
	"encoding/json"
	"fmt"

	"github.com/casevault/casevault/vault/internal/store"
)

// caseOriginOrgs maps each local case imported from a partner's bundle to
// the name of the partner organisation (from the origin records). The leak
// scan uses it so that a partner's secrets bind only that partner's cases.
func (v *Vault) caseOriginOrgs() (map[string]string, error) {
	out := map[string]string{}
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pOrigin}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.KeyCopy(nil)
			sealed, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			pt, err := openRecord(k, v.keys.sys, sealed)
			if err != nil {
				return &CorruptError{What: "origin record", Err: err}
			}
			var rec originRecord
			if err := json.Unmarshal(pt, &rec); err != nil {
				return &CorruptError{What: "origin record", Err: err}
			}
			out[rec.Case] = rec.Org
		}
		return nil
	})
	return out, err
}

// AllowedHitsOp is the audit operation that records hits of the leak scan
// a reviewer accepted (publish --allow): its targets are the hit IDs.
const AllowedHitsOp = OpPublishAllow

// allowedHits returns the hit IDs accepted so far, from the audit log.
func (v *Vault) allowedHits() (map[string]bool, error) {
	out := map[string]bool{}
	err := v.AuditEntries(func(e AuditEntry) error {
		if e.Op == AllowedHitsOp {
			for _, t := range e.Targets {
				out[t] = true
			}
		}
		return nil
	})
	return out, err
}

// UnknownHitError reports an ID given to accept a hit (publish --allow)
// that the leak scan did not find: mistyped, or the text or the secret
// changed since the review.
type UnknownHitError struct{ ID string }

func (e *UnknownHitError) Error() string {
	return fmt.Sprintf("hit %s: the leak scan found no such hit (mistyped, or the text or the secret changed since the review)", e.ID)
}
