package publish

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

// realisticSources returns n generated cases with realistic name
// collisions (casegen.NewRealistic), all with consent full: every case is
// published, and their lawyers', relatives', witnesses' and perpetrators'
// names, drawn from the same surname pool as the prisoners' and judges',
// are secrets.
func realisticSources(t testing.TB, n int, seed uint64) []Source {
	g := casegen.NewRealistic(seed)
	out := make([]Source, 0, n)
	for i := range n {
		doc := g.Case()
		pub := doc["publication"].(map[string]any)
		if pub["consent"] != "full" {
			pub["consent"] = "full"
			// The generator writes an anonymous summary without the name.
		}
		delete(doc, "sensitivity_overrides")
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		out = append(out, source(fmt.Sprint("gen", seed, "-", i), c))
	}
	return out
}

// TestFalsePositives publishes 10,000 generated cases with consent full and
// realistic name collisions: at most 1 flagged hit per 1,000 published
// cases, and Redact changes no consented name (nor the judge's).
func TestFalsePositives(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 2000
	}
	srcs := realisticSources(t, n, 42)
	set, err := Prepare(testOrg, srcs, Options{Review: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Records) != n {
		t.Fatalf("%d records, want %d", len(set.Records), n)
	}
	for i, h := range set.Hits {
		if i < 20 {
			t.Logf("hit: %s | %s", h, h.Context)
		}
	}
	rate := float64(len(set.Hits)) * 1000 / float64(n)
	t.Logf("%d cases published, %d flagged hits (%.2f per 1,000 cases)", n, len(set.Hits), rate)
	if rate > 1 {
		t.Errorf("%.2f flagged hits per 1,000 published cases, want at most 1", rate)
	}
	red, err := Prepare(testOrg, srcs, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i, r := range red.Records {
		o := set.Records[i]
		if r.Name != o.Name || r.NameNative != o.NameNative || r.Judge != o.Judge {
			changed++
			if changed < 5 {
				t.Errorf("redact changed a consented name: %q/%q/%q → %q/%q/%q", o.Name, o.NameNative, o.Judge, r.Name, r.NameNative, r.Judge)
			}
		}
	}
	if changed > 0 {
		t.Errorf("redact changed the consented names of %d cases", changed)
	}
}

// TestRealisticLeaksCaught is the other side of TestFalsePositives: in the
// same generated cases, another case's lawyer, witness or perpetrator
// planted into a summary is refused, surname alone included.
func TestRealisticLeaksCaught(t *testing.T) {
	srcs := realisticSources(t, 600, 7)
	planted := 0
	for i, src := range srcs {
		var secret string
		walkLeaves(src.Case.Doc, "", "", func(path, plain, value string) {
			if secret == "" && (plain == "person.contacts.name" && strings.Contains(path, "contacts[1]") || plain == "mistreatment.perpetrators" || plain == "mistreatment.witnesses") {
				if _, ok := splitName(value, tokenize(value)); ok {
					secret = value
				}
			}
		})
		if secret == "" {
			continue
		}
		// The surname: the last word of the stored name.
		words := strings.Fields(secret)
		surname := words[len(words)-1]
		target := srcs[(i+1)%len(srcs)]
		own := map[string]bool{}
		for _, tk := range tokenize(target.Case.Name() + " " + target.Case.NameNative() + " " + fmt.Sprint(target.Case.Doc["proceedings"])) {
			own[tk.stem] = true
		}
		if own[tokenize(surname)[0].stem] {
			continue // the target publishes that surname itself
		}
		c := setField(t, target.Case, "publication.summary", "Supporters named "+surname+" in the complaint.")
		both := []Source{{CaseID: target.CaseID, PublicID: target.PublicID, Case: c}, {CaseID: src.CaseID, PublicID: src.PublicID, Case: src.Case, Skip: true}}
		if _, err := Prepare(testOrg, both, Options{}); err == nil {
			t.Errorf("%q (from %q) planted in %s: not refused", surname, secret, target.CaseID)
		}
		planted++
	}
	if planted < 100 {
		t.Fatalf("only %d plantings", planted)
	}
	t.Logf("%d realistic plantings refused", planted)
}
