package casegen

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

func TestCasesAreValid(t *testing.T) {
	g := New(1)
	statuses := map[string]int{}
	for i := range 2000 {
		doc := g.Case()
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, b)
		}
		statuses[c.Status()]++
		if c.Name() == "" || c.NameNative() == "" {
			t.Fatalf("case %d has no names", i)
		}
	}
	if len(statuses) < 6 {
		t.Errorf("only %d statuses generated: %v", len(statuses), statuses)
	}
}

func TestDeterministic(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := Write(&a, "jsonl", 50, 7); err != nil {
		t.Fatal(err)
	}
	Write(&b, "jsonl", 50, 7)
	Write(&c, "jsonl", 50, 8)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed gave different output")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("different seeds gave the same output")
	}
	if n := strings.Count(a.String(), "\n"); n != 50 {
		t.Errorf("%d lines, want 50", n)
	}
}

func TestNamesAreConsistent(t *testing.T) {
	lat := map[string]string{}
	for _, p := range append(append([]namePair{}, maleFirst...), femaleFirst...) {
		lat[p.cyr] = p.lat
	}
	for _, s := range surnames {
		fl, fc := s.feminine()
		lat[s.cyr], lat[fc] = s.lat, fl
	}
	g := New(3)
	for range 500 {
		p := g.Case()["person"].(map[string]any)
		nat := strings.Fields(p["name_native"].(string))
		want := lat[nat[0]] + " " + lat[nat[1]]
		if p["name"] != want {
			t.Fatalf("name %q does not transliterate %q (want %q)", p["name"], p["name_native"], want)
		}
	}
}

func TestYAMLAndCSV(t *testing.T) {
	var y bytes.Buffer
	if err := Write(&y, "yaml", 20, 2); err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(y.String(), "---\n")
	if len(docs) != 20 {
		t.Fatalf("%d YAML documents, want 20", len(docs))
	}
	for i, d := range docs {
		if _, err := schema.Parse([]byte(d)); err != nil {
			t.Fatalf("YAML document %d: %v", i, err)
		}
	}
	var c bytes.Buffer
	if err := Write(&c, "csv", 20, 2); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 21 || len(recs[0]) != len(CSVColumns) {
		t.Fatalf("%d records of %d columns", len(recs), len(recs[0]))
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", 1, 1); err == nil {
		t.Error("unknown format accepted")
	}
}

func BenchmarkValidate(b *testing.B) {
	g := New(1)
	docs := make([][]byte, 1000)
	for i := range docs {
		docs[i], _ = json.Marshal(g.Case())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := schema.FromJSON(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseYAMLParser(b *testing.B) {
	g := New(1)
	docs := make([][]byte, 1000)
	for i := range docs {
		docs[i], _ = json.Marshal(g.Case())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := schema.Parse(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRealisticNames: NewRealistic draws hundreds of surnames with a
// skewed (Zipf-like) frequency, both genders and both scripts, and names
// judges, lawyers, witnesses and perpetrators from the same pool.
func TestRealisticNames(t *testing.T) {
	g := NewRealistic(3)
	surnames := map[string]int{}
	female, roleOverlap := 0, 0
	prisoners := map[string]bool{}
	var others []string
	for range 5000 {
		doc := g.Case()
		p := doc["person"].(map[string]any)
		lat := strings.Fields(p["name"].(string))
		surnames[lat[len(lat)-1]]++
		prisoners[lat[len(lat)-1]] = true
		if p["gender"] == "female" {
			female++
		}
		if pr, ok := doc["proceedings"].(map[string]any); ok {
			others = append(others, pr["judge"].(string))
		}
		for _, c := range list(p["contacts"]) {
			others = append(others, c.(map[string]any)["name"].(string))
		}
	}
	for _, o := range others {
		w := strings.Fields(o)
		if prisoners[w[len(w)-1]] {
			roleOverlap++
		}
	}
	if len(surnames) < 250 {
		t.Errorf("%d distinct surnames, want hundreds", len(surnames))
	}
	top := 0
	for _, n := range surnames {
		top = max(top, n)
	}
	if top < 5000/40 {
		t.Errorf("most common surname drawn %d times of 5000: not skewed", top)
	}
	if female < 1000 || roleOverlap < 1000 {
		t.Errorf("female %d, judges/lawyers/relatives sharing a prisoner's surname %d", female, roleOverlap)
	}
	if g := NewRealistic(3).Case(); !strings.ContainsAny(g["person"].(map[string]any)["name_native"].(string), "абвгдеёжзийклмнопрстуфхцчшщыэюя") {
		t.Errorf("no Cyrillic native name")
	}
}

func list(v any) []any { l, _ := v.([]any); return l }
