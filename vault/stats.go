package vault

import (
	"context"
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
// one pass over the list summaries. f's sorting and paging do not apply.
func (v *Vault) Stats(ctx context.Context, f Filter) (Stats, error) {
	f.Sort, f.Limit, f.Offset = "", 0, 0
	var st Stats
	status, article, year, mistreat, cond := counter{}, counter{}, counter{}, counter{}, counter{}
	region, facility := newFoldCounter(), newFoldCounter()
	n := 0
	var arts []string // reused: one case's articles
	err := v.view(func(txn *store.Txn) error {
		return v.filterCases(txn, nil, true, f, true, func(s Summary) error {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			st.Total++
			status[s.Status]++
			year[s.DetainedYear()]++
			region.add(s.Region)
			arts = arts[:0]
			for _, a := range s.Articles {
				if i := strings.IndexByte(a, '('); i > 0 && !strings.Contains(a, ": ") {
					a = a[:i]
				}
				arts = append(arts, a)
			}
			article.addEach(slices.Compact(arts))
			facility.addEach(s.Facilities)
			mistreat.addEach(s.Mistreatment)
			cond.addEach(s.Conditions)
			return nil
		})
	})
	if err != nil {
		return Stats{}, err
	}
	st.Status = status.counts(false)
	st.Article = article.counts(false)
	st.Region = region.counts()
	st.Facility = facility.counts()
	st.Year = year.counts(true)
	st.Mistreatment = mistreat.counts(false)
	st.Condition = cond.counts(false)
	return st, nil
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
// punctuation or ё/е as one, shown as their most common spelling.
type foldCounter struct {
	total     counter
	spellings map[string]counter
	keys      map[string]string // folded key of each spelling seen
}

func newFoldCounter() *foldCounter {
	return &foldCounter{total: counter{}, spellings: map[string]counter{}, keys: map[string]string{}}
}

func (c *foldCounter) key(v string) string {
	k, ok := c.keys[v]
	if !ok {
		k = strings.Join(index.FoldWords(v), " ")
		c.keys[v] = k
	}
	return k
}

func (c *foldCounter) add(v string) {
	v = strings.TrimSpace(v)
	key := c.key(v)
	c.total[key]++
	if key == "" {
		return
	}
	sp := c.spellings[key]
	if sp == nil {
		sp = counter{}
		c.spellings[key] = sp
	}
	sp[v]++
}

func (c *foldCounter) addEach(values []string) {
	if len(values) == 0 {
		c.add("")
		return
	}
	var buf [8]string
	seen := buf[:0] // a case has few values: a slice, not a map per case
	for _, v := range values {
		key := c.key(strings.TrimSpace(v))
		if !slices.Contains(seen, key) {
			seen = append(seen, key)
			c.add(v)
		}
	}
}

func (c *foldCounter) counts() []Count {
	named := counter{}
	for key, n := range c.total {
		if key == "" {
			named[""] += n
			continue
		}
		named[c.spellings[key].counts(false)[0].Value] += n
	}
	return named.counts(false)
}
