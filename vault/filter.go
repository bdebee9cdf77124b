package vault

import (
	"bytes"
	"errors"
	"slices"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// ListCases returns the summaries of the cases f matches, sorted and paged
// as f says (by name and then ID unless f.Sort says otherwise).
func (v *Vault) ListCases(f Filter) ([]Summary, error) {
	var out []Summary
	err := v.view(func(txn *store.Txn) error {
		ids, all, current, err := v.filterCandidates(txn, nil, true, f)
		if err != nil || !all && len(ids) == 0 {
			return err
		}
		if current {
			// Opened and decoded on every core (stats_scan.go).
			if out, err = v.listSummaries(txn, ids, all, f); !errors.Is(err, errSummaryIncomplete) {
				return err
			}
		}
		out = nil
		return v.filterCases(txn, nil, true, f, f.Sort == index.SortDetained, func(s Summary) error {
			out = append(out, s)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return index.SortAndPage(out, f), nil
}

// filterHits returns the summaries of the cases among hits (sorted by ID)
// that f matches, sorted and paged as f says: what Search returns for a
// text query narrowed by f.
func (v *Vault) filterHits(txn *store.Txn, hits []CaseID, f Filter) ([]Summary, error) {
	var out []Summary
	err := v.filterCases(txn, hits, false, f, f.Sort == index.SortDetained, func(s Summary) error {
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return index.SortAndPage(out, f), nil
}

// filterCases calls fn with the summary of every case f matches among the
// candidates cand (sorted by ID; every case when all), in the order of
// their IDs. The structured postings f asks for narrow the candidates
// first; f.Match decides on each summary. With complete, or when f reads
// them, summaries that an older casevault wrote without the fields of
// version 3 are completed from the case's current revision: a vault not
// yet migrated (opened read-only since the upgrade) gives the same answers,
// only slower.
//
// Search calls it with the cases its text query found.
func (v *Vault) filterCases(txn *store.Txn, cand []CaseID, all bool, f Filter, complete bool, fn func(Summary) error) error {
	ids, all, _, err := v.filterCandidates(txn, cand, all, f)
	if err != nil || !all && len(ids) == 0 {
		return err
	}
	complete = complete || f.NeedsComplete()
	m := f.Matcher()
	return v.eachSummary(txn, ids, all, func(s Summary) error {
		if complete && !s.Complete() {
			var err error
			if s, err = v.completeSummary(txn, s); err != nil {
				return err
			}
		}
		if m.Match(s) {
			return fn(s)
		}
		return nil
	})
}

// filterCandidates narrows the candidates of filterCases (cand, or every
// case when all) by the structured postings f asks for: the cases whose
// summaries are then read (all again when no posting narrowed them). It
// also reports whether every summary is of the current version.
func (v *Vault) filterCandidates(txn *store.Txn, cand []CaseID, all bool, f Filter) (ids []CaseID, every, current bool, err error) {
	current, err = v.summariesCurrent(txn)
	if err != nil {
		return nil, false, false, err
	}
	toks := f.Tokens()
	if !current {
		// The postings of articles, consent and mistreatment are written
		// by the migration with the summaries.
		toks = f.StatusTokens()
	}
	if f.Org != "" && v.indexCurrent {
		// Imported cases have their organisation's token since index
		// records say Org; an index without them is read as before.
		toks = append(toks, index.OrgToken(f.Org))
	}
	ids = cand
	for _, t := range toks {
		found, err := v.filterPostings(txn, t)
		if err != nil {
			return nil, false, false, err
		}
		if all {
			ids, all = found, false
		} else {
			ids = index.Intersect(ids, found)
		}
	}
	return ids, all, current, nil
}

// eachSummary calls fn with the summaries of the cases ids (sorted), or of
// every case when all, in the order of their IDs: one pass over the
// summaries for many cases, one lookup each for a few.
func (v *Vault) eachSummary(txn *store.Txn, ids []CaseID, all bool, fn func(Summary) error) error {
	return eachSummaryItem(txn, ids, all, func(item *store.Item) error {
		s, err := v.decodeSummary(item)
		if err != nil {
			return err
		}
		return fn(s)
	})
}

// eachSummaryItem calls fn with the stored summary records of the cases
// ids (sorted), or of every case when all, as eachSummary reads them.
func eachSummaryItem(txn *store.Txn, ids []CaseID, all bool, fn func(*store.Item) error) error {
	if all || len(ids) > scanThreshold {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}, PrefetchValues: false})
		defer it.Close()
		i := 0
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if !all {
				k := item.Key()
				for i < len(ids) && bytes.Compare(ids[i][:], k[1:]) < 0 {
					i++
				}
				if i == len(ids) {
					break
				}
				if !bytes.Equal(ids[i][:], k[1:]) {
					continue
				}
			}
			if err := fn(item); err != nil {
				return err
			}
		}
		return nil
	}
	for _, id := range ids {
		item, err := txn.Get(summaryKey(id))
		if errors.Is(err, store.ErrKeyNotFound) {
			continue // a stale posting; check --repair removes it
		}
		if err != nil {
			return err
		}
		if err := fn(item); err != nil {
			return err
		}
	}
	return nil
}

// completeSummary is the summary of case s.ID made from its current
// revision, for a summary an older casevault wrote.
func (v *Vault) completeSummary(txn *store.Txn, s Summary) (Summary, error) {
	id, err := ParseCaseID(s.ID)
	if err != nil {
		return s, &CorruptError{What: "summary of case " + s.ID, Err: err}
	}
	dk, err := v.caseKey(txn, id)
	if err != nil {
		return s, err
	}
	rev, err := v.latestRevision(txn, id, dk)
	if err != nil {
		return s, err
	}
	doc, err := rev.Case()
	if err != nil {
		return s, &CorruptError{What: "case " + s.ID, Err: err}
	}
	return caseSummary(id, doc, rev), nil
}

// summariesCurrent reports whether every summary is of the current
// version, which migrateSummaries makes so: it rewrites them in the order
// of their keys and every later write is of the current version, so the
// last one tells.
func (v *Vault) summariesCurrent(txn *store.Txn) (bool, error) {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}, Reverse: true})
	defer it.Close()
	it.Seek(append([]byte{pSummary}, bytes.Repeat([]byte{0xff}, idLen+1)...))
	if !it.Valid() {
		return true, nil // no cases
	}
	item := it.Item()
	var version byte
	err := item.Value(func(sealed []byte) error {
		pt, err := openRecord(item.Key(), v.keys.index, sealed)
		if err != nil {
			return err
		}
		version = index.SummaryVersion(pt)
		return nil
	})
	return version == index.CurrentSummaryVersion, err
}

// Orders of Filter.Sort.
const (
	SortName     = index.SortName     // by name, then ID (the default)
	SortUpdated  = index.SortUpdated  // newest change first
	SortDetained = index.SortDetained // earliest first detention first, unknown last
)

// FoldWords splits text into the words Filter.Region and Filter.Facility
// compare: lower case, "ё" as "е".
func FoldWords(text string) []string { return index.FoldWords(text) }

// sameFilterFields reports whether two summaries agree on the fields of
// version 3, for check; a summary of an older version (not yet migrated)
// has none to compare.
func sameFilterFields(got, want Summary) bool {
	if !got.Complete() || !want.Complete() {
		return true
	}
	return slices.Equal(got.Articles, want.Articles) && got.Region == want.Region &&
		slices.Equal(got.Facilities, want.Facilities) && got.FirstDetained == want.FirstDetained &&
		got.Consent == want.Consent && slices.Equal(got.Mistreatment, want.Mistreatment) &&
		slices.Equal(got.Conditions, want.Conditions)
}
