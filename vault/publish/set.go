package publish

import (
	"sort"
	"strings"
)

// Options change how a publication is prepared.
type Options struct {
	// Redact masks every hit of the leak scan with [Mask] instead of
	// refusing with a [*LeakError].
	Redact bool
}

// A Set is what will be published: the organisation's name and the public
// records, sorted, already scanned (and masked with Options.Redact).
type Set struct {
	Org     string
	Records []*Record
	// Masked lists what Options.Redact masked, in output order.
	Masked []Hit
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
func Prepare(org string, sources []Source, o Options) (*Set, error) {
	set := &Set{Org: org}
	sc := newScanner()
	type pair struct {
		r   *Record
		src Source
	}
	var ps []pair
	for _, src := range sources {
		r := project(src)
		switch {
		case r != nil && !src.Skip:
			ps = append(ps, pair{r, src})
		case Consent(src.Case) != ConsentFull:
			// A person who did not agree to be named must not be named
			// on another case's page either.
			sc.addWithheldNames(src)
		}
	}
	for _, p := range ps {
		sc.addRecord(p.r, p.src.Case)
		set.Records = append(set.Records, p.r)
	}
	sort.SliceStable(set.Records, func(i, j int) bool {
		a, b := set.Records[i], set.Records[j]
		if x, y := strings.ToLower(a.Name), strings.ToLower(b.Name); x != y {
			return x < y
		}
		return a.ID < b.ID
	})
	var hits []Hit
	for _, r := range set.Records {
		for _, f := range r.strings() {
			spans := sc.scan(r, f.name, *f.p)
			if len(spans) == 0 {
				continue
			}
			for _, sp := range spans {
				hits = append(hits, sp.hit)
			}
			if o.Redact {
				*f.p = mask(*f.p, spans)
			}
		}
	}
	hits = dedupeHits(hits)
	if len(hits) > 0 && !o.Redact {
		return nil, &LeakError{Hits: hits}
	}
	set.Masked = hits
	return set, nil
}

func dedupeHits(hits []Hit) []Hit {
	seen := map[Hit]bool{}
	out := hits[:0]
	for _, h := range hits {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}
