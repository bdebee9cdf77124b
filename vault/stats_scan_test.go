package vault

import (
	"context"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
	"github.com/casevault/casevault/vault/internal/index"
	"pgregory.net/rapid"
)

// TestStatsMatchesRecountProperty checks that Stats, which opens and
// counts the summaries on several workers in batches and folds place names
// at the end, gives what a plain count over every case's current document
// gives, for any filter: generated cases (imported and added one by one)
// plus cases whose region and facilities are spelt several ways (case,
// ё/е, spaces, two periods in one facility written twice).
func TestStatsMatchesRecountProperty(t *testing.T) {
	defer func(b int) { statsBatch = b }(statsBatch)
	statsBatch = 3 // many batches over the workers
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	v := newTestVault(t)
	ctx := context.Background()
	if _, err := v.Import(ctx, writeGenerated(t, FormatJSONL, 90, 5), ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	g := casegen.New(9)
	respell := []func(string) string{
		strings.ToUpper, strings.ToLower,
		func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "е", "ё"), "e", "E") },
		func(s string) string { return "  " + s + " " },
		func(s string) string { return strings.ReplaceAll(s, ", ", " , ") },
	}
	for i := range 40 {
		m := g.Case()
		if p, ok := m["person"].(map[string]any); ok {
			if r, ok := p["region"].(string); ok {
				p["region"] = respell[i%len(respell)](r)
			}
		}
		if d, ok := m["detention"].([]any); ok && len(d) > 0 {
			first, _ := d[0].(map[string]any)
			if f, ok := first["facility"].(string); ok && i%2 == 0 {
				again := map[string]any{"kind": first["kind"], "facility": respell[(i/2)%len(respell)](f)}
				if i%4 == 0 {
					again["facility"] = f // the same facility twice, as written
				}
				m["detention"] = append(d, again)
			}
		}
		b, _ := json.Marshal(m)
		doc, err := schema.FromJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.AddCase(doc); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		doc map[string]any
		sum index.Summary
	}
	var cases []stored
	var regions, facilities, articles []string
	for _, id := range ids {
		rev, err := v.Case(id)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := rev.Case()
		if err != nil {
			t.Fatal(err)
		}
		s := caseSummary(id, doc, rev)
		cases = append(cases, stored{doc.Doc, s})
		if s.Region != "" {
			regions = append(regions, s.Region)
		}
		for _, f := range s.Facilities {
			facilities = append(facilities, strings.SplitN(f, ",", 2)[0])
		}
		for _, a := range s.Articles {
			articles = append(articles, strings.SplitN(strings.TrimPrefix(a, "RU-CC "), "(", 2)[0])
		}
	}
	articles = append(articles, "207", "1")
	rapid.Check(t, func(rt *rapid.T) {
		var f Filter
		if rapid.Bool().Draw(rt, "status?") {
			f.Status = rapid.SampledFrom([]string{"pretrial", "sentenced", "released", "wanted"}).Draw(rt, "status")
		}
		if rapid.IntRange(0, 2).Draw(rt, "article?") == 0 {
			f.Articles = []string{rapid.SampledFrom(articles).Draw(rt, "article")}
		}
		if rapid.IntRange(0, 3).Draw(rt, "region?") == 0 {
			f.Region = rapid.SampledFrom(regions).Draw(rt, "region")
		}
		if rapid.IntRange(0, 3).Draw(rt, "facility?") == 0 {
			f.Facility = rapid.SampledFrom(facilities).Draw(rt, "facility")
		}
		if rapid.IntRange(0, 3).Draw(rt, "consent?") == 0 {
			f.Consent = rapid.SampledFrom([]string{"full", "anonymous", "none"}).Draw(rt, "consent")
		}
		if rapid.IntRange(0, 3).Draw(rt, "mistreatment?") == 0 {
			f.Mistreatment = rapid.SampledFrom([]string{"beating", "torture", "threats"}).Draw(rt, "mistreatment")
		}
		if rapid.IntRange(0, 3).Draw(rt, "since?") == 0 {
			f.DetainedSince = time.Date(rapid.IntRange(2012, 2026).Draw(rt, "year"), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		got, err := v.Stats(ctx, f)
		if err != nil {
			rt.Fatal(err)
		}
		var matched []index.Summary
		for _, c := range cases {
			if matchByHand(f, c.doc) {
				matched = append(matched, c.sum)
			}
		}
		want := recountStats(matched)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			rt.Fatalf("Stats(%+v) =\n%s\nrecount:\n%s", f, gj, wj)
		}
	})
	// The respelt places were counted as one.
	st, err := v.Stats(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != len(cases) || len(st.Region) >= len(slices.Compact(slices.Sorted(slices.Values(regions)))) {
		t.Errorf("total %d of %d cases, %d regions of %d spellings", st.Total, len(cases), len(st.Region), len(regions))
	}
}

// recountStats is what Stats means, counted plainly from the summaries
// of the matched cases: the reference of the property test.
func recountStats(sums []index.Summary) Stats {
	type tally = map[string]int
	sorted := func(t tally, byValue bool) []Count {
		out := []Count{}
		for v, n := range t {
			out = append(out, Count{v, n})
		}
		slices.SortFunc(out, func(a, b Count) int {
			if (a.Value == "") != (b.Value == "") {
				if a.Value == "" {
					return 1
				}
				return -1
			}
			if !byValue && a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		return out
	}
	each := func(t tally, values []string) {
		if len(values) == 0 {
			t[""]++
		}
		seen := map[string]bool{}
		for _, v := range values {
			if !seen[v] {
				seen[v] = true
				t[v]++
			}
		}
	}
	// places: per case, each folded form once, under its first spelling;
	// a folded form is named by its most common spelling.
	type places struct {
		total     tally
		spellings map[string]tally
	}
	newPlaces := func() *places { return &places{tally{}, map[string]tally{}} }
	addPlaces := func(p *places, values []string) {
		if len(values) == 0 {
			values = []string{""}
		}
		var seen []string
		for _, v := range values {
			v = strings.TrimSpace(v)
			k := strings.Join(index.FoldWords(v), " ")
			if slices.Contains(seen, k) {
				continue
			}
			seen = append(seen, k)
			p.total[k]++
			if k != "" {
				if p.spellings[k] == nil {
					p.spellings[k] = tally{}
				}
				p.spellings[k][v]++
			}
		}
	}
	named := func(p *places) []Count {
		out := tally{}
		for k, n := range p.total {
			if k == "" {
				out[""] += n
			} else {
				out[sorted(p.spellings[k], false)[0].Value] += n
			}
		}
		return sorted(out, false)
	}
	status, article, year, mistreat, cond := tally{}, tally{}, tally{}, tally{}, tally{}
	region, facility := newPlaces(), newPlaces()
	for _, s := range sums {
		status[s.Status]++
		year[s.DetainedYear()]++
		var arts []string
		for _, a := range s.Articles {
			if i := strings.IndexByte(a, '('); i > 0 && !strings.Contains(a, ": ") {
				a = a[:i]
			}
			arts = append(arts, a)
		}
		each(article, arts)
		each(mistreat, s.Mistreatment)
		each(cond, s.Conditions)
		addPlaces(region, []string{s.Region})
		addPlaces(facility, s.Facilities)
	}
	return Stats{
		Total: len(sums), Status: sorted(status, false), Article: sorted(article, false),
		Region: named(region), Facility: named(facility), Year: sorted(year, true),
		Mistreatment: sorted(mistreat, false), Condition: sorted(cond, false),
	}
}

// TestListCasesManyWorkersProperty is TestListCasesProperty with the
// summaries spread over four workers in batches of three: the lists are
// the same whatever worker decoded which case.
func TestListCasesManyWorkersProperty(t *testing.T) {
	defer func(b int) { statsBatch = b }(statsBatch)
	statsBatch = 3
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	TestListCasesProperty(t)
}
