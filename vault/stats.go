package vault

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Count is the number of cases with one value of a dimension. Value ""
// counts the cases without any value (no article, no known detention).
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Stats are the numbers of cases by each dimension `casevault stats`
// shows. A case counts once under each value it has: once per article,
// facility, mistreatment kind and condition, so the counts of those may add
// up to more than Total.
type Stats struct {
	Total        int     `json:"total"`
	Status       []Count `json:"status"`
	Article      []Count `json:"article"`      // the article without part or clause: "RU-CC 207.3"
	Region       []Count `json:"region"`       // spellings that differ in case or ё/е only count as one, under the most common
	Facility     []Count `json:"facility"`     // like Region
	Year         []Count `json:"year"`         // of the first detention
	Mistreatment []Count `json:"mistreatment"` // kinds of mistreatment incidents
	Condition    []Count `json:"condition"`    // detention conditions
}

// A Dimension is one table of Stats.
type Dimension struct {
	Name   string
	Counts []Count
}

// Dimensions are the tables of s in the order `stats` prints them, named
// as in its JSON.
func (s Stats) Dimensions() []Dimension {
	return []Dimension{
		{"status", s.Status}, {"article", s.Article}, {"region", s.Region}, {"facility", s.Facility},
		{"year", s.Year}, {"mistreatment", s.Mistreatment}, {"condition", s.Condition},
	}
}

// Stats counts the cases f matches by status, article, region, facility,
// year of first detention, mistreatment kind and detention condition, in
// one pass over the list summaries of the cases f's postings leave, opened
// and counted on every core (stats_scan.go). f's sorting and paging do not
// apply.
func (v *Vault) Stats(ctx context.Context, f Filter) (Stats, error) {
	f.Sort, f.Limit, f.Offset = "", 0, 0
	c := newStatsCount()
	err := v.view(func(txn *store.Txn) error {
		ids, all, current, err := v.filterCandidates(txn, nil, true, f)
		if err != nil || !all && len(ids) == 0 {
			return err
		}
		if current {
			counted, err := v.countSummaries(ctx, txn, ids, all, f)
			if !errors.Is(err, errSummaryIncomplete) {
				c = counted
				return err
			}
		}
		// Summaries an older casevault wrote are completed from their
		// cases one by one (a vault opened read-only since the upgrade).
		n := 0
		return v.filterCases(txn, nil, true, f, true, func(s Summary) error {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			c.add(&s)
			return nil
		})
	})
	if err != nil {
		return Stats{}, err
	}
	return c.stats(), nil
}

// A statsCount counts summaries for Stats; counts of several summaries
// add up (merge) in any order to the same Stats.
type statsCount struct {
	total                                 int
	status, article, year, mistreat, cond counter
	region, facility                      *foldCounter
	arts                                  []string // reused: one case's articles
}

func newStatsCount() *statsCount {
	return &statsCount{status: counter{}, article: counter{}, year: counter{}, mistreat: counter{}, cond: counter{},
		region: newFoldCounter(), facility: newFoldCounter()}
}

// add counts one case's summary.
func (c *statsCount) add(s *Summary) {
	c.total++
	c.status[s.Status]++
	c.year[s.DetainedYear()]++
	c.region.add(s.Region)
	c.arts = c.arts[:0]
	for _, a := range s.Articles {
		if i := strings.IndexByte(a, '('); i > 0 && !strings.Contains(a, ": ") {
			a = a[:i]
		}
		c.arts = append(c.arts, a)
	}
	c.article.addEach(slices.Compact(c.arts))
	c.facility.addEach(s.Facilities)
	c.mistreat.addEach(s.Mistreatment)
	c.cond.addEach(s.Conditions)
}

// merge adds o's counts to c's.
func (c *statsCount) merge(o *statsCount) {
	c.total += o.total
	for _, p := range [][2]counter{{c.status, o.status}, {c.article, o.article}, {c.year, o.year}, {c.mistreat, o.mistreat}, {c.cond, o.cond}} {
		p[0].merge(p[1])
	}
	c.region.merge(o.region)
	c.facility.merge(o.facility)
}

func (c *statsCount) stats() Stats {
	return Stats{
		Total:        c.total,
		Status:       c.status.counts(false),
		Article:      c.article.counts(false),
		Region:       c.region.counts(),
		Facility:     c.facility.counts(),
		Year:         c.year.counts(true),
		Mistreatment: c.mistreat.counts(false),
		Condition:    c.cond.counts(false),
	}
}

type counter map[string]int

// addEach counts a case under each of its values (distinct), or under ""
// when it has none.
func (c counter) addEach(values []string) {
	if len(values) == 0 {
		c[""]++
		return
	}
	for _, v := range values {
		c[v]++
	}
}

// merge adds o's counts to c's.
func (c counter) merge(o counter) {
	for v, n := range o {
		c[v] += n
	}
}

// counts are the counts, largest first (ties by value), or by value with
// byValue; "" (no value) comes last.
func (c counter) counts(byValue bool) []Count {
	out := make([]Count, 0, len(c))
	for v, n := range c {
		out = append(out, Count{v, n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		switch {
		case a.Value == "" && b.Value != "":
			return 1
		case a.Value != "" && b.Value == "":
			return -1
		case !byValue && a.Count != b.Count:
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

// A foldCounter counts place names that differ only in case, spacing,
// punctuation or ё/е as one, shown as their most common spelling. A case
// with several values of one folded form counts once, under the first.
// It counts spellings (trimmed) and folds them when asked for the counts.
type foldCounter struct {
	spellings counter
	keys      map[string]string // folded key of each spelling seen in a case with several values
}

func newFoldCounter() *foldCounter {
	return &foldCounter{spellings: counter{}, keys: map[string]string{}}
}

func (c *foldCounter) key(v string) string {
	k, ok := c.keys[v]
	if !ok {
		k = strings.Join(index.FoldWords(v), " ")
		c.keys[v] = k
	}
	return k
}

func (c *foldCounter) add(v string) { c.spellings[strings.TrimSpace(v)]++ }

func (c *foldCounter) addEach(values []string) {
	switch len(values) {
	case 0:
		c.add("")
		return
	case 1:
		c.add(values[0])
		return
	}
	var buf [8]string
	seen := buf[:0] // a case has few values: a slice, not a map per case
	for _, v := range values {
		v = strings.TrimSpace(v)
		if key := c.key(v); !slices.Contains(seen, key) {
			seen = append(seen, key)
			c.spellings[v]++
		}
	}
}

// merge adds o's counts to c's.
func (c *foldCounter) merge(o *foldCounter) { c.spellings.merge(o.spellings) }

func (c *foldCounter) counts() []Count {
	total := counter{}
	spellings := map[string]counter{}
	for v, n := range c.spellings {
		k := c.key(v)
		total[k] += n
		if k == "" {
			continue
		}
		sp := spellings[k]
		if sp == nil {
			sp = counter{}
			spellings[k] = sp
		}
		sp[v] += n
	}
	named := counter{}
	for k, n := range total {
		if k == "" {
			named[""] += n
			continue
		}
		named[spellings[k].counts(false)[0].Value] += n
	}
	return named.counts(false)
}
