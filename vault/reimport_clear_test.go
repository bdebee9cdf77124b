package vault

import (
	"testing"
)

// TestReimportCSVEmptyCellClears: on a CSV re-import the header's columns
// are authoritative: a column present but empty removes the field, a
// column the sheet lacks keeps it. A JSON record lacking a field keeps it.
func TestReimportCSVEmptyCellClears(t *testing.T) {
	v := newTestVault(t)
	first := writeImport(t, "a.csv", "name,birth_date,articles,region,occupation,sources,judge\nIvan Petrov,1980-01-01,207.3(2),Omsk,teacher,src1,Sergei Volkov\n")
	if got := importCounts4(t, v, first, FormatCSV); got != [4]int{1, 0, 0, 0} {
		t.Fatalf("first import: %v", got)
	}
	// occupation, sources and judge emptied; region's column gone
	second := writeImport(t, "c.csv", "name,birth_date,articles,occupation,sources,judge\nIvan Petrov,1980-01-01,207.3(2),,,\n")
	if got := importCounts4(t, v, second, FormatCSV); got != [4]int{0, 1, 0, 0} {
		t.Fatalf("emptied cells: %v, want 1 updated", got)
	}
	ids, _ := v.CaseIDs()
	if len(ids) != 1 {
		t.Fatalf("%d cases, want 1", len(ids))
	}
	r, _ := v.Case(ids[0])
	c, _ := r.Case()
	person := c.Doc["person"].(map[string]any)
	if _, ok := person["occupation"]; ok {
		t.Errorf("occupation kept after its cell was emptied: %v", person)
	}
	if _, ok := c.Doc["sources"]; ok {
		t.Errorf("sources kept after its cell was emptied: %v", c.Doc["sources"])
	}
	if _, ok := c.Doc["proceedings"]; ok {
		t.Errorf("proceedings.judge kept after its cell was emptied: %v", c.Doc["proceedings"])
	}
	if person["region"] != "Omsk" || person["birth_date"] != "1980-01-01" || c.Doc["charges"] == nil {
		t.Errorf("a field whose column is absent, or whose cell is full, was lost: %v", c.Doc)
	}
	if got := importCounts4(t, v, second, FormatCSV); got != [4]int{0, 0, 1, 0} {
		t.Fatalf("again: %v, want unchanged", got)
	}

	// JSON lines: a field the record lacks is kept.
	j1 := writeImport(t, "a.jsonl", `{"person":{"name":"Anna Sidorova","occupation":"nurse","region":"Perm"},"external_id":"j1"}`+"\n")
	importCounts4(t, v, j1, FormatJSONL)
	j2 := writeImport(t, "b.jsonl", `{"person":{"name":"Anna Sidorova","region":"Kazan"},"external_id":"j1"}`+"\n")
	if got := importCounts4(t, v, j2, FormatJSONL); got != [4]int{0, 1, 0, 0} {
		t.Fatalf("jsonl: %v, want 1 updated", got)
	}
	hits, _ := v.Search("Anna Sidorova")
	id, _ := ParseCaseID(hits[0].ID)
	r, _ = v.Case(id)
	c, _ = r.Case()
	if p := c.Doc["person"].(map[string]any); p["occupation"] != "nurse" || p["region"] != "Kazan" {
		t.Errorf("jsonl merge: %v", p)
	}
}
