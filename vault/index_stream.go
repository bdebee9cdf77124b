package vault

import (
	"context"
	"errors"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// streams says whether SearchCases answers q by streamSearch: one word,
// no prefix or phrase, no filter answered by postings, no sort, and an
// index of the current format.
func (v *Vault) streams(q index.Query, f Filter) bool {
	return v.indexCurrent && len(q.Terms) == 1 && len(q.Prefixes) == 0 && len(q.Phrases) == 0 &&
		len(f.Tokens()) == 0 && f.Sort == ""
}

// streamSearch answers a one-word query (see streams) as it reads the
// word's postings: one posting key (a case, or a group an import wrote)
// at a time, its cases in ID order, each case's summary read by its key.
// Its memory is one posting group and its case table, whatever the number of hits, and the
// first hit comes before the other postings are read; hits come in the
// order of the index (posting keys, then case IDs within a group).
func (v *Vault) streamSearch(ctx context.Context, txn *store.Txn, tok string, field int, f Filter, each func(Hit) error) error {
	m := f.Matcher()
	complete := f.NeedsComplete()
	skip, left := f.Offset, f.Limit
	pfx := postingPrefix(v.tokenMAC(tok))
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: false})
	defer it.Close()
	r := postingReader{txn: txn, one: true} // one case table at a time
	var es []index.Entry
	for it.Rewind(); it.Valid(); it.Next() {
		var err error
		if es, err = r.entries(es[:0], it.Item()); err != nil {
			if isIndexDamage(err) {
				return &CorruptError{What: "search index", Err: err}
			}
			return err
		}
		for _, e := range es {
			if field >= 0 && !e.Fields.Has(field) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			item, err := txn.Get(summaryKey(e.ID))
			if errors.Is(err, store.ErrKeyNotFound) {
				continue // a stale posting; check --repair removes it
			}
			if err != nil {
				return err
			}
			s, err := v.decodeSummary(item)
			if err != nil {
				return err
			}
			if complete && !s.Complete() {
				if s, err = v.completeSummary(txn, s); err != nil {
					return err
				}
			}
			if !m.Match(s) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if err := each(Hit{Summary: s, Fields: narrowFields(e.Fields, field).Paths()}); err != nil {
				return err
			}
			if left--; left == 0 {
				return nil
			}
		}
	}
	return nil
}
