package casegen

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// present returns the field paths (without indices) that hold a value
// in doc.
func present(v any, path string, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			present(e, p, out)
		}
	case []any:
		for _, e := range t {
			present(e, path, out)
		}
	case string:
		if strings.TrimSpace(t) != "" {
			out[path] = true
		}
	default:
		if t != nil {
			out[path] = true
		}
	}
}

// TestGeneratesEveryIdentifyingField requires the generator, which is
// written by hand, to fill every field the schema marks x-identifying, so
// that the leak scan's precision and adversarial tests, which run on
// generated cases, see every kind of data that names someone. A field
// added to case.v1.json with x-identifying fails here until the generator
// fills it.
func TestGeneratesEveryIdentifyingField(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range []*Generator{New(1), NewRealistic(1)} {
		for range 500 {
			present(g.Case(), "", seen)
		}
	}
	var classes int
	for _, f := range schema.Fields() {
		if f.Identifying == "" {
			continue
		}
		classes++
		if !seen[f.Path] {
			t.Errorf("%s (x-identifying %s): no generated case fills it", f.Path, f.Identifying)
		}
	}
	if classes < 10 {
		t.Errorf("only %d x-identifying fields in the schema", classes)
	}
}

// TestCSVColumnsFromSchema checks that the generator writes a column for
// every x-csv annotation of the schema, and that each cell it writes holds
// the field of the case.
func TestCSVColumnsFromSchema(t *testing.T) {
	var want []string
	for _, c := range schema.CSVColumns() {
		want = append(want, c.Column)
	}
	if !slices.Equal(CSVColumns, want) {
		t.Fatalf("CSVColumns = %q, want %q", CSVColumns, want)
	}
	doc := NewRealistic(3).Case()
	rec := CSVRecord(doc)
	b, _ := json.Marshal(doc)
	for i, c := range schema.CSVColumns() {
		for _, part := range strings.Split(rec[i], "|") {
			if part != "" && !strings.Contains(string(b), strings.Split(strings.Split(part, ";")[0], "=")[0]) {
				t.Errorf("column %s: cell %q is not in the case", c.Column, part)
			}
		}
	}
	var sb strings.Builder
	if err := Write(&sb, "csv", 3, 1); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(sb.String())).ReadAll()
	if err != nil || !slices.Equal(recs[0], want) {
		t.Fatalf("header = %q, %v", recs[0], err)
	}
}
