package schema_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

// handSearchText is SearchText as it was written by hand before x-search:
// the annotations must give the same texts.
func handSearchText(doc map[string]any) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	list := func(v any) []any { l, _ := v.([]any); return l }
	person, _ := doc["person"].(map[string]any)
	add(person["name"])
	add(person["name_native"])
	for _, a := range list(person["aliases"]) {
		add(a)
	}
	add(person["region"])
	add(person["occupation"])
	for _, ch := range list(doc["charges"]) {
		m, _ := ch.(map[string]any)
		add(m["article"])
		add(m["title"])
	}
	for _, d := range list(doc["detention"]) {
		m, _ := d.(map[string]any)
		add(m["facility"])
	}
	proceedings, _ := doc["proceedings"].(map[string]any)
	add(proceedings["court"])
	publication, _ := doc["publication"].(map[string]any)
	add(publication["summary"])
	add(doc["status"])
	return out
}

func TestSearchTextFromAnnotations(t *testing.T) {
	g := casegen.NewRealistic(2)
	for i := range 500 {
		b, _ := json.Marshal(g.Case())
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		got, want := c.SearchText(), handSearchText(c.Doc)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: SearchText = %q, want %q", i, got, want)
		}
	}
}

func TestLoadRejectsBadAnnotations(t *testing.T) {
	for _, bad := range []string{
		`"x-search": "yes",`,
		`"x-identifying": "nickname",`,
		`"x-csv": {"colum": "x"},`,
		`"x-public": {"record": "name", "anonymise": "blur"},`,
	} {
		js := strings.Replace(string(schema.SchemaJSON()), `"x-sensitivity": "confidential",`, `"x-sensitivity": "confidential", `+bad, 1)
		if _, err := schema.Load([]byte(js)); err == nil {
			t.Errorf("Load accepted %s", bad)
		}
	}
	if _, err := schema.Load(schema.SchemaJSON()); err != nil {
		t.Fatal(err)
	}
}
