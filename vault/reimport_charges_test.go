package vault

import (
	"fmt"
	"strings"
	"testing"
)

// TestReimportChargesChanged: a re-import without external_id finds the
// case by name, birth date and any of its charges (one import key per
// charge), so a charge added in front of the list, charges reordered or
// one removed update the case instead of adding a duplicate; a namesake
// born on another day, and a second case of the same person with other
// charges, are never merged.
func TestReimportChargesChanged(t *testing.T) {
	v := newTestVault(t)
	defer v.Close()
	rec := func(name, birth string, arts ...string) string {
		var ch []string
		for _, a := range arts {
			ch = append(ch, fmt.Sprintf(`{"code":"RU-CC","article":%q}`, a))
		}
		return fmt.Sprintf(`{"person":{"name":%q,"birth_date":%q},"charges":[%s]}`, name, birth, strings.Join(ch, ","))
	}
	file := func(name string, recs ...string) string {
		return writeImport(t, name, strings.Join(recs, "\n")+"\n")
	}
	ivan := func(arts ...string) string { return rec("Ivan Petrov", "1990-01-01", arts...) }
	namesake := rec("Ivan Petrov", "1985-05-05", "207.3(2)")
	second := func(arts ...string) string { return rec("Anna Sidorova", "1970-02-02", arts...) }

	steps := []struct {
		name string
		recs []string
		want [4]int // added, updated, unchanged, rejected
	}{
		{"first", []string{ivan("207.3(2)"), namesake, second("275"), second("280.3(1)")}, [4]int{4, 0, 0, 0}},
		{"again", []string{ivan("207.3(2)"), namesake, second("275"), second("280.3(1)")}, [4]int{0, 0, 4, 0}},
		{"charge added in front", []string{ivan("280.3(1)", "207.3(2)"), namesake}, [4]int{0, 1, 1, 0}},
		{"reordered", []string{ivan("207.3(2)", "280.3(1)")}, [4]int{0, 1, 0, 0}},
		{"first charge removed", []string{ivan("280.3(1)")}, [4]int{0, 1, 0, 0}},
		// Anna has two cases (275, and 280.3(1)): each row finds its own.
		{"two cases of one person", []string{second("205.2", "275"), second("207.3(2)", "280.3(1)")}, [4]int{0, 2, 0, 0}},
		// every charge new: not taken for the known case (a new case)
		{"all charges new", []string{ivan("318(1)")}, [4]int{1, 0, 0, 0}},
	}
	for _, s := range steps {
		if got := importCounts4(t, v, file(s.name+".jsonl", s.recs...), FormatJSONL); got != s.want {
			t.Fatalf("%s: added, updated, unchanged, rejected = %v, want %v", s.name, got, s.want)
		}
	}
	ids, _ := v.CaseIDs()
	if len(ids) != 5 {
		t.Fatalf("%d cases, want 5 (Ivan, his namesake, Anna twice, Ivan's new case)", len(ids))
	}
	// Anna's cases each kept their own charges.
	var annas []string
	for _, id := range ids {
		r, _ := v.Case(id)
		c, _ := r.Case()
		if c.Doc["person"].(map[string]any)["name"] == "Anna Sidorova" {
			annas = append(annas, fmt.Sprint(c.Doc["charges"]))
		}
	}
	if len(annas) != 2 || strings.Contains(annas[0], "205.2") == strings.Contains(annas[1], "205.2") {
		t.Fatalf("Anna's cases: %v", annas)
	}
	// the namesake born on another day still has his one revision
	hits, _ := v.Search("1985-05-05")
	for _, h := range hits {
		if h.Rev != 1 {
			t.Fatalf("the namesake's case was changed: %+v", h)
		}
	}
}
