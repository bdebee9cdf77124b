package vault

import (
	"context"
	"errors"
	"slices"
	"sync"

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
	var es, want []index.Entry
	var got []readSummary
	read := 0 // summaries read
	win := summaryWindow{v: v, txn: txn}
	// emit passes on the hits among es (their summaries in got, in the
	// same order) that f matches, after skip and up to left; stop says
	// that left reached 0.
	emit := func(es []index.Entry, got []readSummary) (stop bool, err error) {
		for i, e := range es {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			if got[i].missing {
				continue // a stale posting; check --repair removes it
			}
			if got[i].err != nil {
				return false, got[i].err
			}
			s := got[i].s
			if complete && !s.Complete() {
				var err error
				if s, err = v.completeSummary(txn, s); err != nil {
					return false, err
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
				return false, err
			}
			if left--; left == 0 {
				return true, nil
			}
		}
		return false, nil
	}
	for it.Rewind(); it.Valid(); it.Next() {
		var err error
		if es, err = r.entries(es[:0], it.Item()); err != nil {
			if isIndexDamage(err) {
				return &CorruptError{What: "search index", Err: err}
			}
			return err
		}
		want = want[:0]
		for _, e := range es {
			if field < 0 || e.Fields.Has(field) {
				want = append(want, e)
			}
		}
		for len(want) > 0 {
			n := len(want)
			if f.Limit > 0 {
				n = min(n, skip+left)
			}
			if win.on(read) {
				// Many hits already: collect a window of them, read in the
				// order of their keys (see summaryWindow).
				n = min(n, win.room(f.Limit > 0, skip+left))
				win.add(want[:n])
				want = want[n:]
				if win.full(f.Limit > 0, skip+left) {
					got = win.read(got[:0])
					read += len(win.es)
					stop, err := emit(win.es, got)
					win.reset()
					if stop || err != nil {
						return err
					}
				}
				continue
			}
			n = min(n, streamChunk)
			got = v.streamSummaries(txn, want[:n], got[:0])
			read += n
			if stop, err := emit(want[:n], got); stop || err != nil {
				return err
			}
			want = want[n:]
		}
	}
	if len(win.es) > 0 {
		got = win.read(got[:0])
		_, err := emit(win.es, got)
		return err
	}
	return nil
}

// streamChunk is the number of summaries streamSearch reads ahead of the
// hits it passes on (fewer when --limit asks for fewer): enough to share
// the reads between two cores, few enough that a search with a small
// limit reads little more than it shows.
const streamChunk = 64

// streamParallelMin is the smallest read-ahead split between goroutines
// (a variable for the test that compares with reading one by one).
var streamParallelMin = 16

// A readSummary is the summary of one hit as streamSummaries read it.
type readSummary struct {
	s       Summary
	missing bool // no summary under the posting's case (a stale posting)
	err     error
}

// streamSummaries reads the summaries of the cases es into out (in the
// order of es): each is a random read in the store (its block decrypted
// and checked by Badger), so a chunk is read on up to summaryWorkers
// goroutines in parallel, each filling its own slots (issue 14: ~0.1 ms
// per hit). Only reads of the read-only transaction txn run at once
// (Badger's Get of a read-only transaction changes nothing in it).
func (v *Vault) streamSummaries(txn *store.Txn, es []index.Entry, out []readSummary) []readSummary {
	out = slices.Grow(out[:0], len(es))[:len(es)]
	read := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			item, err := txn.Get(summaryKey(es[i].ID))
			switch {
			case errors.Is(err, store.ErrKeyNotFound):
				out[i] = readSummary{missing: true}
			case err != nil:
				out[i] = readSummary{err: err}
			default:
				s, err := v.decodeSummary(item)
				out[i] = readSummary{s: s, err: err}
			}
		}
	}
	workers := summaryWorkers()
	if workers < 2 || len(es) < streamParallelMin {
		read(0, len(es))
		return out
	}
	var wg sync.WaitGroup
	per := (len(es) + workers - 1) / workers
	for lo := per; lo < len(es); lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			read(lo, hi)
		}(lo, min(lo+per, len(es)))
	}
	read(0, min(per, len(es)))
	wg.Wait()
	return out
}
