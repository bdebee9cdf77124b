package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Hit is a case a search found: its summary and the fields (paths as
// in SearchFields) where the words were found.
type Hit struct {
	Summary
	Fields []string `json:"fields"`
}

// SearchOptions narrow a search beyond its words and filter.
type SearchOptions struct {
	// Field, when not empty, is the one field (a path of SearchFields)
	// where every word must be found.
	Field string
}

// SearchFields returns the fields a search can be narrowed to, in a fixed
// order: every field of the case schema ("person.name",
// "mistreatment.description"), then the evidence fields ("evidence.name",
// "evidence.note", "evidence.collected_by", …) and "other".
func SearchFields() []string { return index.FieldPaths() }

// UnknownFieldError is a --field path that is not a field of the search.
type UnknownFieldError struct {
	Path  string
	Close []string // fields with a similar path
}

func (e *UnknownFieldError) Error() string {
	msg := fmt.Sprintf("unknown field %q", e.Path)
	if len(e.Close) > 0 {
		msg += " (did you mean " + strings.Join(e.Close, ", ") + "?)"
	}
	return msg
}

func (e *UnknownFieldError) Is(target error) bool { return target == errs.ErrInvalid }

// CheckSearchField returns an *UnknownFieldError if path (such as
// "mistreatment.description" or "charges[].article") is not one of
// SearchFields.
func CheckSearchField(path string) error {
	if _, ok := index.FieldNumber(path); !ok {
		return &UnknownFieldError{Path: path, Close: closeFields(path)}
	}
	return nil
}

// closeFields returns the search fields whose path is like p: sharing its
// last name, or a few edits away.
func closeFields(p string) []string {
	p = strings.ToLower(strings.ReplaceAll(p, "[]", ""))
	last := p[strings.LastIndexByte(p, '.')+1:]
	type near struct {
		path string
		d    int
	}
	var cands []near
	for _, f := range index.FieldPaths() {
		fl := f[strings.LastIndexByte(f, '.')+1:]
		d := editDistance(p, f)
		if d <= 3 || fl == last || len(last) >= 4 && len(fl) >= 4 && (strings.Contains(fl, last) || strings.Contains(last, fl)) {
			cands = append(cands, near{f, d})
		}
	}
	slices.SortStableFunc(cands, func(a, b near) int { return a.d - b.d })
	var out []string
	for _, c := range cands[:min(len(cands), 6)] {
		out = append(out, c.path)
	}
	return out
}

// ParseQuery checks search text without opening anything: what SearchCases
// would refuse (no words, a prefix of fewer than 3 letters).
func ParseQuery(query string) error {
	_, err := index.ParseQuery(query)
	return err
}

// Search returns the cases that hold every word of query, sorted by name
// (see SearchCases, which streams and narrows).
func (v *Vault) Search(query string) ([]Summary, error) {
	var out []Summary
	err := v.SearchCases(context.Background(), query, Filter{}, SearchOptions{}, func(h Hit) error {
		out = append(out, h.Summary)
		return nil
	})
	if err != nil {
		return nil, err
	}
	index.SortSummaries(out)
	return out, nil
}

// SearchCases calls each with the cases whose current revision, evidence
// metadata or (for imported cases) partner's document hold every word of
// query, in any script and word form (SECURITY.md, "Search index"), that
// f matches, in the order of the index (case IDs; for one word, posting
// keys and then case IDs: see streamSearch), from f.Offset on and at
// most f.Limit of them. Hits stream: memory holds the candidate IDs, not
// the hits (one word: not even those). A quoted phrase is checked against the current revision
// of each candidate.
func (v *Vault) SearchCases(ctx context.Context, query string, f Filter, o SearchOptions, each func(Hit) error) error {
	q, err := index.ParseQuery(query)
	if err != nil {
		return err
	}
	field := -1
	if o.Field != "" {
		n, ok := index.FieldNumber(o.Field)
		if !ok {
			return &UnknownFieldError{Path: o.Field, Close: closeFields(o.Field)}
		}
		field = n
	}
	return v.view(func(txn *store.Txn) error {
		if !v.indexCurrent {
			return v.scanSearch(ctx, txn, q, field, f, each)
		}
		if v.streams(q, f) {
			return v.streamSearch(ctx, txn, q.Terms[0], field, f, each)
		}
		cands, err := q.Candidates(
			func(tok string) ([]index.Entry, error) { return v.postingEntries(txn, tok) },
			func(start string) ([]string, error) { return v.vocabulary(txn, start) },
			field)
		if err != nil {
			return err
		}
		if ftoks := f.Tokens(); len(ftoks) > 0 && len(cands) > 0 {
			for _, t := range ftoks {
				es, err := v.postingEntries(txn, t)
				if err != nil {
					return err
				}
				cands = index.IntersectEntries(cands, es)
			}
		}
		m := f.Matcher()
		complete := f.NeedsComplete() || f.Sort == index.SortDetained
		var sorted *topHits // with f.Sort, hits are collected and sorted
		if f.Sort != "" {
			sorted = newTopHits(f)
		}
		skip, left := f.Offset, f.Limit
		ids := make([]CaseID, len(cands))
		for i, e := range cands {
			ids[i] = e.ID
		}
		err = v.eachCandidateSummary(txn, cands, ids, func(s Summary) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			if complete && !s.Complete() {
				// A summary of a vault opened read-only since the upgrade.
				if s, err = v.completeSummary(txn, s); err != nil {
					return err
				}
			}
			if !m.Match(s) {
				return nil
			}
			id, err := ParseCaseID(s.ID)
			if err != nil {
				return &CorruptError{What: "summary of case " + s.ID, Err: err}
			}
			// cands is sorted by ID (no map of every candidate: issue 14).
			var fs index.FieldSet
			if i, ok := slices.BinarySearchFunc(cands, id, func(e index.Entry, id CaseID) int { return bytes.Compare(e.ID[:], id[:]) }); ok {
				fs = cands[i].Fields
			}
			if len(q.Phrases) > 0 {
				pf, ok, err := v.phrasesIn(txn, id, q, field)
				if err != nil || !ok {
					return err
				}
				fs = fs.Union(pf)
			}
			h := Hit{Summary: s, Fields: narrowFields(fs, field).Paths()}
			if sorted != nil {
				sorted.add(h)
				return nil
			}
			if skip > 0 {
				skip--
				return nil
			}
			if err := each(h); err != nil {
				return err
			}
			if left--; left == 0 {
				return errStopScan
			}
			return nil
		})
		if errors.Is(err, errStopScan) {
			return nil
		}
		if err != nil {
			return err
		}
		if sorted == nil {
			return nil
		}
		for _, h := range sorted.page() {
			if err := each(h); err != nil {
				return err
			}
		}
		return nil
	})
}

// phrasesIn opens the current revision and evidence of case id and checks
// the phrases of q in them.
func (v *Vault) phrasesIn(txn *store.Txn, id CaseID, q index.Query, field int) (index.FieldSet, bool, error) {
	doc, metas, err := v.caseDocument(txn, id)
	if err != nil {
		return index.FieldSet{}, false, err
	}
	fs, ok := q.PhrasesIn(func(fn func(int, string)) { index.EachCaseText(doc, metas, fn) }, field)
	return fs, ok, nil
}

// caseDocument returns the current document of a case and its evidence
// metadata.
func (v *Vault) caseDocument(txn *store.Txn, id CaseID) (*schema.Case, []evidence.Meta, error) {
	doc, metas, _, err := v.caseRevisionDocument(txn, id)
	return doc, metas, err
}

// caseRevisionDocument is caseDocument with the current revision.
func (v *Vault) caseRevisionDocument(txn *store.Txn, id CaseID) (*schema.Case, []evidence.Meta, *Revision, error) {
	dk, err := v.caseKey(txn, id)
	if err != nil {
		return nil, nil, nil, err
	}
	defer crypto.Wipe(dk[:])
	cur, err := v.latestRevision(txn, id, dk)
	if err != nil {
		return nil, nil, nil, err
	}
	doc, err := cur.Case()
	if err != nil {
		return nil, nil, nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	recs, err := v.caseEvidence(txn, id, dk)
	if err != nil {
		return nil, nil, nil, err
	}
	metas := make([]evidence.Meta, len(recs))
	for i, r := range recs {
		metas[i] = r.EvidenceMeta
	}
	return doc, metas, cur, nil
}

// scanSearch is SearchCases on a vault whose index is of a previous format
// and was opened read-only, so that it cannot be rebuilt: every case's
// current revision is opened and matched (slow, but right).
func (v *Vault) scanSearch(ctx context.Context, txn *store.Txn, q index.Query, field int, f Filter, each func(Hit) error) error {
	skip, left := f.Offset, f.Limit
	return v.eachCaseID(txn, func(id CaseID) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		doc, metas, err := v.caseDocument(txn, id)
		if err != nil {
			return err
		}
		tf := index.CaseTokens(doc, metas)
		fs, ok := q.MatchTokens(tf, field)
		if !ok {
			return nil
		}
		for _, t := range f.Tokens() {
			if _, ok := tf[t]; !ok {
				return nil
			}
		}
		pf, ok := q.PhrasesIn(func(fn func(int, string)) { index.EachCaseText(doc, metas, fn) }, field)
		if !ok {
			return nil
		}
		item, err := txn.Get(summaryKey(id))
		if err != nil {
			return err
		}
		s, err := v.decodeSummary(item)
		if err != nil {
			return err
		}
		if !s.Complete() {
			if s, err = v.completeSummary(txn, s); err != nil {
				return err
			}
		}
		if !f.Match(s) {
			return nil
		}
		if skip > 0 {
			skip--
			return nil
		}
		if err := each(Hit{Summary: s, Fields: fs.Union(pf).Paths()}); err != nil {
			return err
		}
		if left--; left == 0 {
			return errStopScan
		}
		return nil
	})
}

var errStopScan = errors.New("stop")

// narrowFields is the fields a hit reports: with --field (field ≥ 0) that
// field alone, as a search that opens the cases reports, although the
// posting records every field holding the word.
func narrowFields(fs index.FieldSet, field int) index.FieldSet {
	if field < 0 {
		return fs
	}
	var n index.FieldSet
	n.Add(field)
	return n
}

// filterPostings returns the cases indexed under a structured token
// (index.FilterTokens). An index of a previous format opened read-only
// may lack such tokens: the cases' documents are read instead.
func (v *Vault) filterPostings(txn *store.Txn, tok string) ([]CaseID, error) {
	if v.indexCurrent {
		return v.postings(txn, tok)
	}
	var out []CaseID
	err := v.eachCaseID(txn, func(id CaseID) error {
		doc, _, err := v.caseDocument(txn, id)
		if err != nil {
			return err
		}
		if slices.Contains(index.FilterTokens(doc), tok) {
			out = append(out, id)
		}
		return nil
	})
	return out, err
}

// eachCaseID calls fn with the ID of every case (those with a data key),
// in order.
func (v *Vault) eachCaseID(txn *store.Txn, fn func(CaseID) error) error {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pCaseKey}, PrefetchValues: false})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if len(k) != 1+idLen {
			continue
		}
		var id CaseID
		copy(id[:], k[1:])
		if err := fn(id); err != nil {
			if errors.Is(err, errStopScan) {
				return nil
			}
			return err
		}
	}
	return nil
}
