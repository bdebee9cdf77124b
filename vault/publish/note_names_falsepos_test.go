package publish

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/casevault/casevault/schema"
)

// withNotes gives the generated cases of realisticSources the free text a
// lawyer writes: working notes, hearing notes and outcomes and detention
// notes that name the case's own court, judge, prisoner, facility, months,
// organisations and public figures, a co-defendant who is another published
// case, relatives and cellmates drawn from the same surname pool (another
// case's relative), in Latin and Cyrillic; and summaries that name the
// co-defendant and a public figure. Every one of those names is then a
// needle of the note-name scan (note_names.go).
func withNotes(t testing.TB, srcs []Source) []Source {
	months := []string{"January", "March", "May", "September", "November", "сентября", "марта"}
	out := make([]Source, len(srcs))
	for i, src := range srcs {
		doc := clone(src.Case.Doc).(map[string]any)
		name, native := src.Case.Name(), src.Case.NameNative()
		pr, _ := doc["proceedings"].(map[string]any)
		court, judge := "Moscow City Court", "Ivanova"
		if pr != nil {
			court, _ = pr["court"].(string)
			judge, _ = pr["judge"].(string)
		}
		region, _ := obj(doc["person"])["region"].(string)
		facility := "SIZO-1, " + region
		if d := list(doc["detention"]); len(d) > 0 {
			facility, _ = obj(d[0])["facility"].(string)
		}
		co := srcs[(i+1)%len(srcs)].Case.Name()
		cell := ""
		if cs := list(obj(srcs[(i+7)%len(srcs)].Case.Doc["person"])["contacts"]); len(cs) > 0 {
			cell, _ = obj(cs[0])["name"].(string)
		}
		m := months[i%len(months)]
		doc["notes"] = fmt.Sprintf("Hearing at the %s on %d %s; Judge %s refused bail. %s asked about the ECHR complaint; "+
			"Memorial, OVD-Info and Novaya Gazeta informed. Visited %s in %s. Co-defendant %s. Cellmate %s may testify. "+
			"He had criticised Vladimir Putin and Alexei Navalny. %s просил передать письмо в Европейский суд.",
			court, 1+i%28, m, judge, name, facility, m, co, cell, native)
		doc["hearings"] = []any{map[string]any{"date": "2024-05-02", "court": court,
			"notes":   fmt.Sprintf("Судья %s, прокурор спросил о свидетеле %s. Next: %s Regional Court in %s.", judge, cell, region, m),
			"outcome": fmt.Sprintf("Detention extended; %s and co-defendant %s present", name, co)}}
		if d := list(doc["detention"]); len(d) > 0 {
			obj(d[0])["notes"] = fmt.Sprintf("Meeting with %s in %s at %s.", cell, m, facility)
		}
		pub := obj(doc["publication"])
		if i%10 == 0 {
			pub["summary"] = fmt.Sprint(pub["summary"], " Co-defendant of ", co, ".")
		}
		if i%10 == 1 {
			pub["summary"] = fmt.Sprint(pub["summary"], " He had criticised Vladimir Putin in March.")
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		out[i] = Source{CaseID: src.CaseID, PublicID: src.PublicID, Case: c}
	}
	return out
}

// TestNoteNamesFalsePositives publishes generated cases with realistic
// notes (withNotes): the names and capitalised words of the notes raise at
// most 1 flagged hit per 1,000 published cases.
func TestNoteNamesFalsePositives(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 500
	}
	srcs := withNotes(t, realisticSources(t, n, 42))
	set, err := Prepare(testOrg, srcs, Options{Review: true})
	if err != nil {
		t.Fatal(err)
	}
	// A note that quotes a public label (the facility, four words or
	// more) is no phrase hit (public_phrases.go): counted apart.
	names, phrases, other := 0, 0, 0
	for _, h := range set.Hits {
		if h.Strength == "phrase" {
			if phrases++; phrases <= 20 {
				t.Logf("phrase hit: %s | %s", h, h.Context)
			}
			continue
		}
		if h.Strength != noteNameStrength && h.Strength != noteSurnameStrength {
			other++
			continue
		}
		if names++; names <= 20 {
			t.Logf("hit: %s | %s", h, h.Context)
		}
	}
	rate := float64(names) * 1000 / float64(n)
	prate := float64(phrases) * 1000 / float64(n)
	t.Logf("%d cases with notes published, %d flagged hits of names in text (%.2f per 1,000 cases); %d phrase hits (four words of a note that quote public text; %.2f per 1,000 cases); %d hits of other kinds", n, names, rate, phrases, prate, other)
	if rate > 1 {
		t.Errorf("%.2f flagged hits per 1,000 published cases, want at most 1", rate)
	}
	// Before public_phrases.go: 184,181 phrase hits on 2,000 cases.
	if prate > 1 {
		t.Errorf("%.2f phrase hits per 1,000 published cases (%d), want at most 1", prate, phrases)
	}
}
