package vault

import (
	"fmt"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// migrateBatch is the number of cases one transaction of migrateSummaries
// rewrites (a variable for the test of a migration cut short).
var migrateBatch = 500

// migrateAtOpen lets the test of a migration cut short open the vault
// read-write without migrating.
var migrateAtOpen = true

// migrateSummaries rewrites the list summaries an older casevault wrote
// (version 2, or JSON) as summaries of the current version, made from each
// case's current revision, and adds the postings of the structured fields
// (articles, consent, mistreatment kinds) that came with them. It runs at
// every read-write open; on a vault already migrated it reads one record.
//
// It goes in the order of the summary keys, a batch per transaction, so a
// kill leaves a migrated prefix and the rest, and the next open goes on: it
// is idempotent. Until it has finished, the last summary is of the old
// version, which is how readers know (summariesCurrent) not to trust the
// new postings yet. Summaries and postings are derived from the revisions:
// nothing a user wrote changes, so no audit entry is written (as for the
// index records a rekey rebuilds).
func (v *Vault) migrateSummaries() error {
	if !migrateAtOpen {
		return nil
	}
	var current bool
	if err := v.view(func(txn *store.Txn) error {
		var err error
		current, err = v.summariesCurrent(txn)
		return err
	}); err != nil {
		return fmt.Errorf("upgrading the list summaries: %w", err)
	}
	if current {
		return nil
	}
	if err := v.checkSpace(0); err != nil {
		return err
	}
	after := []byte{pSummary}
	for after != nil {
		var err error
		if after, err = v.migrateSummaryBatch(after); err != nil {
			return fmt.Errorf("upgrading the list summaries: %w", err)
		}
	}
	return nil
}

// migrateSummaryBatch migrates up to migrateBatch summaries from the key
// from on and returns the key to go on from, nil at the end. The new
// summaries are made in a read transaction (a read-write one allows one
// iterator at a time) and written in one read-write transaction; the
// exclusive lock of a read-write open keeps other writers out in between.
func (v *Vault) migrateSummaryBatch(from []byte) ([]byte, error) {
	type upgrade struct {
		id CaseID
		s  Summary
	}
	var ups []upgrade
	var next []byte
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}})
		defer it.Close()
		for it.Seek(from); it.Valid(); it.Next() {
			item := it.Item()
			k := item.KeyCopy(nil)
			if len(ups) == migrateBatch {
				next = k
				return nil
			}
			if len(k) != 1+idLen {
				continue
			}
			var id CaseID
			copy(id[:], k[1:])
			var version byte
			err := item.Value(func(sealed []byte) error {
				pt, err := openRecord(k, v.keys.index, sealed)
				version = index.SummaryVersion(pt)
				return err
			})
			if err != nil || version == index.CurrentSummaryVersion {
				// A damaged record is check's to report and repair; it
				// must not keep the vault from opening.
				continue
			}
			s, err := v.completeSummary(txn, Summary{ID: id.String()})
			if err != nil {
				continue
			}
			ups = append(ups, upgrade{id, s})
		}
		return nil
	})
	if err != nil || len(ups) == 0 {
		return nil, err
	}
	// An index of the current format was built with the structured
	// tokens, each posting with its fields: adding them again would
	// duplicate them. An older index is rebuilt after this migration.
	info, err := v.readIndexInfo()
	if err != nil {
		return nil, err
	}
	postings := info != currentIndexInfo()
	txn := v.db.NewTransaction(true)
	defer txn.Discard()
	c := &change{v: v, txn: txn}
	for _, u := range ups {
		if err := c.put(summaryKey(u.id), v.keys.index, index.EncodeSummary(u.s)); err != nil {
			return nil, err
		}
		for _, t := range index.SummaryTokens(u.s) {
			if !postings {
				break
			}
			if err := c.addPosting(v.tokenMAC(t), u.id, index.FieldSet{}); err != nil {
				return nil, err
			}
		}
	}
	if err := txn.Commit(); err != nil {
		return nil, err
	}
	return next, nil
}
