package publish

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casevault/casevault/schema"
)

// Options change how a publication is prepared.
type Options struct {
	// Redact masks every hit of the leak scan with [Mask] instead of
	// refusing with a [*LeakError].
	Redact bool
	// K is the k of the k-anonymity check of anonymous cases (see
	// anon.go); 0 means [DefaultK]. 1 turns the check off.
	K int
	// From names partner organisations whose imported cases are published
	// (publish --from ORG); other imported cases only when named.
	From []string
	// Partners are the organisations that are partners now (not removed).
	// A case imported from any other organisation is never published.
	Partners []string
	// Review returns every hit in Set.Hits instead of refusing or masking:
	// nothing is meant to be published from such a set.
	Review bool
	// Allow holds the IDs of hits a reviewer accepted: they are neither
	// refused nor masked. An ID covers one secret and one matched text in
	// one place; when either changes, the hit gets a new ID.
	Allow map[string]bool
	// Today is the day of publication, YYYY-MM-DD: each published case
	// with full consent shows its next public hearing on or after it.
	// Empty publishes no hearing (a set stays the same from day to day).
	Today string
}

// A Set is what will be published: the organisation's name and the public
// records, sorted, already scanned (and masked with Options.Redact).
type Set struct {
	Org     string
	Records []*Record
	// Langs are the languages of the HTML site (en, ru, uk), each written
	// once; none means English.
	Langs []string
	// Masked lists what Options.Redact masked, in output order.
	Masked []Hit
	// K is the k of the k-anonymity check the set passed.
	K int
	// Coarsened lists the anonymous cases coarsened beyond the usual to
	// pass the k-anonymity check.
	Coarsened []Coarsening
	// Hits lists every hit with Options.Review.
	Hits []Hit
	// Allowed lists the hits that Options.Allow accepted.
	Allowed []Hit
}

// CaseIDs returns the internal IDs of the published cases, sorted.
func (s *Set) CaseIDs() []string {
	ids := make([]string, len(s.Records))
	for i, r := range s.Records {
		ids[i] = r.caseID
	}
	sort.Strings(ids)
	return ids
}

// Prepare selects the sources whose consent allows publication (and that
// are not skipped), keeps their
// public fields (anonymised where the consent says so) and scans every
// string that any format would write, against the non-public values of
// every published case, against the names of every case whose consent
// withholds them (none or anonymous, published or not), and against
// personal-data patterns. A hit returns a
// [*LeakError], unless o.Redact masks it.
//
// Cases imported from a partner are selected only when named or their
// organisation is in o.From, and never when that organisation is not in
// o.Partners or the case is quarantined (a named one is refused with an
// [*ExcludedError]). Before the scan, each anonymous record is coarsened
// until it fits at least o.K cases of the sources (see anon.go), or the
// publication is refused with an [*AnonymityError].
func Prepare(org string, sources []Source, o Options) (*Set, error) {
	set := &Set{Org: org}
	if o.K < 0 {
		return nil, fmt.Errorf("k-anonymity: k = %d, want 1 or more", o.K)
	}
	sc := newScanner()
	type pair struct {
		r   *Record
		src Source
	}
	// Every restricted and confidential value of every case is a secret,
	// whichever cases are published; so are the names of a person whose
	// consent withholds them. The needles are made in parallel, one
	// scanner per processor, then merged.
	workers := min(runtime.GOMAXPROCS(0), max(len(sources)/256, 1))
	parts := make([]*scanner, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			parts[w] = newScanner()
			for i := w; i < len(sources); i += workers {
				parts[w].addSecrets(sources[i])
			}
		})
	}
	wg.Wait()
	for _, p := range parts {
		sc.merge(p)
	}
	var ps []pair
	var pop []*schema.Case
	for _, src := range sources {
		if err := o.checkNamed(src); err != nil {
			return nil, err
		}
		r := project(src)
		if r != nil && !r.Anonymous {
			r.NextHearing = nextHearing(src.Case, o.Today)
		}
		if src.Origin == "" || (r != nil && !src.Skip && o.admits(src)) {
			pop = append(pop, src.Case)
		}
		if r != nil && !src.Skip && o.admits(src) {
			r.Origin, r.imported = org, src.Origin != ""
			if r.imported {
				r.Origin = src.Origin
			}
			ps = append(ps, pair{r, src})
		}
	}
	k := o.K
	if k == 0 {
		k = defaultK
	}
	set.K = k
	an := newAnonymity(k, pop)
	var probs []AnonymityProblem
	for _, p := range ps {
		if !p.r.Anonymous {
			continue
		}
		g, prob := an.apply(p.r)
		if prob != nil {
			probs = append(probs, *prob)
		} else if st := g.steps(); len(st) > 0 {
			set.Coarsened = append(set.Coarsened, Coarsening{Case: p.r.caseID, PublicID: p.r.ID, Steps: st})
		}
	}
	if len(probs) > 0 {
		sort.Slice(probs, func(i, j int) bool { return probs[i].Case < probs[j].Case })
		return nil, &AnonymityError{K: k, Problems: probs}
	}
	sort.Slice(set.Coarsened, func(i, j int) bool { return set.Coarsened[i].Case < set.Coarsened[j].Case })
	for _, p := range ps {
		sc.addPublished(p.r, p.src)
		set.Records = append(set.Records, p.r)
	}
	sc.dropPublicPhrases(set.Records)
	sort.SliceStable(set.Records, func(i, j int) bool {
		a, b := set.Records[i], set.Records[j]
		if x, y := strings.ToLower(a.Name), strings.ToLower(b.Name); x != y {
			return x < y
		}
		return a.ID < b.ID
	})
	// The scan of each record is independent: records are shared out
	// among the processors, and the hits put back in record order.
	type result struct{ hits, allowed []Hit }
	res := make([]result, len(set.Records))
	var next atomic.Int64
	wg = sync.WaitGroup{}
	for range min(runtime.GOMAXPROCS(0), max(len(set.Records)/64, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(set.Records) {
					return
				}
				r := set.Records[i]
				for _, f := range r.strings() {
					spans := sc.scan(r, f.name, *f.p)
					if len(spans) == 0 {
						continue
					}
					kept := spans[:0]
					for _, sp := range spans {
						if o.Allow[sp.hit.ID] {
							res[i].allowed = append(res[i].allowed, sp.hit)
							continue
						}
						res[i].hits = append(res[i].hits, sp.hit)
						kept = append(kept, sp)
					}
					if o.Redact && !o.Review && len(kept) > 0 {
						*f.p = mask(*f.p, kept)
					}
				}
			}
		})
	}
	wg.Wait()
	var hits []Hit
	for _, x := range res {
		hits = append(hits, x.hits...)
		set.Allowed = append(set.Allowed, x.allowed...)
	}
	hits = dedupeHits(hits)
	set.Allowed = dedupeHits(set.Allowed)
	if o.Review {
		set.Hits = hits
		return set, nil
	}
	if len(hits) > 0 && !o.Redact {
		return nil, &LeakError{Hits: hits}
	}
	set.Masked = hits
	return set, nil
}

func dedupeHits(hits []Hit) []Hit {
	seen := map[string]bool{}
	out := hits[:0]
	for _, h := range hits {
		if !seen[h.ID] {
			seen[h.ID] = true
			out = append(out, h)
		}
	}
	return out
}
