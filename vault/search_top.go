package vault

import (
	"container/heap"
	"context"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// topHits collects the hits of a search with a sort order (Filter.Sort)
// and pages them as index.SortAndPage does. With a limit it keeps only
// the first Offset+Limit hits of the order (a heap whose largest is
// dropped), so that `--sort updated --limit 20` of a search with 75,000
// hits holds 20 of them, not all (issue 14); without one, every hit,
// since any of them may come first.
type topHits struct {
	f    Filter
	keep int // hits kept at most; 0 for all
	h    rankedHits
}

func newTopHits(f Filter) *topHits {
	t := &topHits{f: f}
	if f.Limit > 0 {
		t.keep = f.Offset + f.Limit
	}
	t.h.cmp = hitOrder(f.Sort)
	return t
}

// A rankedHit is a hit with its name as the name order compares it.
type rankedHit struct {
	Hit
	name string
}

// rankedHits is a heap of hits whose top is the last in the order.
type rankedHits struct {
	s   []rankedHit
	cmp func(a, b *rankedHit) int
}

func (r *rankedHits) Len() int           { return len(r.s) }
func (r *rankedHits) Less(i, j int) bool { return r.cmp(&r.s[i], &r.s[j]) > 0 }
func (r *rankedHits) Swap(i, j int)      { r.s[i], r.s[j] = r.s[j], r.s[i] }
func (r *rankedHits) Push(x any)         { r.s = append(r.s, x.(rankedHit)) }
func (r *rankedHits) Pop() any {
	x := r.s[len(r.s)-1]
	r.s = r.s[:len(r.s)-1]
	return x
}

// add offers a hit.
func (t *topHits) add(h Hit) {
	rh := rankedHit{Hit: h}
	if t.f.Sort != index.SortUpdated && t.f.Sort != index.SortDetained {
		rh.name = strings.ToLower(h.Name)
	}
	if t.keep == 0 {
		t.h.s = append(t.h.s, rh)
		return
	}
	if len(t.h.s) < t.keep {
		heap.Push(&t.h, rh)
		return
	}
	if t.h.cmp(&rh, &t.h.s[0]) < 0 { // before the last kept
		t.h.s[0] = rh
		heap.Fix(&t.h, 0)
	}
}

// page returns the hits kept, in order, from Offset on and at most Limit.
func (t *topHits) page() []Hit {
	slices.SortFunc(t.h.s, func(a, b rankedHit) int { return t.h.cmp(&a, &b) })
	s := t.h.s
	if t.f.Offset >= len(s) {
		return nil
	}
	s = s[t.f.Offset:]
	if t.f.Limit > 0 && t.f.Limit < len(s) {
		s = s[:t.f.Limit]
	}
	out := make([]Hit, len(s))
	for i := range s {
		out[i] = s[i].Hit
	}
	return out
}

// hitOrder is the order of index.SortAndPage for sort: by name (lower
// case) and ID by default, newest change first, or earliest first
// detention first with unknown ones last; ties by ID.
func hitOrder(sort string) func(a, b *rankedHit) int {
	switch sort {
	case index.SortUpdated:
		return func(a, b *rankedHit) int { return index.ByUpdated(&a.Summary, &b.Summary) }
	case index.SortDetained:
		return func(a, b *rankedHit) int { return index.ByDetained(&a.Summary, &b.Summary) }
	}
	return func(a, b *rankedHit) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
}

// listTop is listSummaries with a limit: each worker keeps the first
// Offset+Limit summaries of f's order (topHits), not every one f
// matches, and it returns the first Offset+Limit of them all, for
// index.SortAndPage to page (issue 14: `case list --status sentenced
// --limit 20` of 250,000 cases held all of them).
func (v *Vault) listTop(txn *store.Txn, ids []CaseID, all bool, f Filter) ([]Summary, error) {
	tops := make([]*topHits, summaryWorkers())
	use := make([]func(*Summary), len(tops))
	for w := range tops {
		tops[w] = newTopHits(f)
		use[w] = func(s *Summary) { tops[w].add(Hit{Summary: *s}) }
	}
	if err := v.readSummaries(context.Background(), txn, ids, all, f, false, use); err != nil {
		return nil, err
	}
	t := newTopHits(f)
	for _, w := range tops {
		for _, h := range w.h.s {
			t.add(h.Hit)
		}
	}
	out := make([]Summary, len(t.h.s))
	for i, h := range t.h.s {
		out[i] = h.Summary
	}
	return out, nil
}
