package publish

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/casevault/casevault/schema"
)

// anonPopulation generates n cases with quasi-identifiers spread as in a
// mid-sized docket: most cases under a handful of articles, detention
// dates over five years, regions over all federal districts (Moscow and
// Crimea heavier), one citizenship in nine of ten cases. Every fifth case
// is anonymous. The seed is fixed.
func anonPopulation(tb testing.TB, n int) []*schema.Case {
	rng := rand.New(rand.NewPCG(13, 13))
	articles := []string{"207.3(2)", "207.3(2)", "207.3(2)", "280.3(1)", "280.3(1)", "205.5(2)", "275", "284.1(1)", "212.1", "354.1(3)"}
	regions := []string{"Moscow", "Moscow", "Moscow", "Saint Petersburg", "Republic of Crimea", "Republic of Crimea", "Omsk", "Bashkortostan", "Krasnodar Krai",
		"Sverdlovsk", "Primorsky Krai", "Dagestan", "Novosibirsk", "Tatarstan", "Kaliningrad", "Rostov"}
	out := make([]*schema.Case, n)
	for i := range out {
		consent := "none"
		if i%5 == 0 {
			consent = "anonymous"
		}
		cit := []any{"RU"}
		if rng.IntN(10) == 0 {
			cit = []any{"RU", "UA"}
		}
		gender := "male"
		if rng.IntN(4) == 0 {
			gender = "female"
		}
		from := fmt.Sprintf("%d-%02d-%02d", 2020+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28))
		verdict := fmt.Sprintf("%d-%02d-%02d", 2021+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28))
		out[i] = &schema.Case{Doc: map[string]any{
			"schema": "case.v1",
			"person": map[string]any{"name": fmt.Sprintf("Person %d", i), "gender": gender, "citizenship": cit,
				"region": regions[rng.IntN(len(regions))]},
			"charges":     []any{map[string]any{"code": "RU-CC", "article": articles[rng.IntN(len(articles))]}},
			"detention":   []any{map[string]any{"kind": "pretrial", "from": from}},
			"proceedings": map[string]any{"verdict_date": verdict},
			"status":      "sentenced",
			"publication": map[string]any{"consent": consent, "summary": "Held for a post."},
		}}
	}
	return out
}

// BenchmarkAnonymity measures the k-anonymity check (k = 3) of the
// anonymous fifth of 10,000 cases against all of them, and reports how
// many were coarsened beyond the usual and how many would be refused.
func BenchmarkAnonymity(b *testing.B) {
	pop := anonPopulation(b, 10000)
	var coarsened, refused, anon int
	for b.Loop() {
		coarsened, refused, anon = 0, 0, 0
		a := newAnonymity(DefaultK, pop)
		for i, c := range pop {
			if Consent(c) != ConsentAnonymous {
				continue
			}
			anon++
			r := project(Source{CaseID: fmt.Sprint("c", i), PublicID: fmt.Sprintf("p%d", i), Case: c})
			g, prob := a.apply(r)
			switch {
			case prob != nil:
				refused++
			case len(g.steps()) > 0:
				coarsened++
			}
		}
	}
	b.ReportMetric(float64(anon), "anonymous")
	b.ReportMetric(float64(coarsened), "coarsened")
	b.ReportMetric(float64(refused), "refused")
}
