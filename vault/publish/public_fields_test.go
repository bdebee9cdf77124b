package publish

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

// TestPublicFieldsAnnotated requires every public field of a case to say
// how it is published (x-public, or x-public: false), every x-public
// record field to be a field of public.v1.json, and project to do what the
// annotations say: a field kept as it is appears in a full-consent record
// with the case's value; a field an anonymous publication drops, omits or
// replaces is not in the anonymous record.
func TestPublicFieldsAnnotated(t *testing.T) {
	var pub struct {
		Defs struct {
			Case struct {
				Properties map[string]struct {
					Items struct {
						Properties map[string]any `json:"properties"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"case"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.PublicSchemaJSON(), &pub); err != nil {
		t.Fatal(err)
	}
	props := pub.Defs.Case.Properties
	if len(props) < 10 {
		t.Fatalf("public.v1.json: %d case properties", len(props))
	}
	leaves := map[string]bool{}
	for _, f := range schema.Fields() {
		leaves[f.Path] = true
		if i := strings.LastIndexByte(f.Path, '.'); i > 0 {
			delete(leaves, f.Path[:i])
		}
	}
	for _, f := range schema.Fields() {
		if !leaves[f.Path] || f.Level != schema.Public {
			continue
		}
		if f.Public == nil && !f.Unpublished {
			t.Errorf("%s: public, but no x-public says how it is published", f.Path)
		}
		if f.Public == nil {
			continue
		}
		top, sub, nested := strings.Cut(f.Public.Record, ".")
		p, ok := props[top]
		if _, inItems := p.Items.Properties[sub]; !ok || nested && !inItems {
			t.Errorf("%s: x-public record %q is not a field of public.v1.json", f.Path, f.Public.Record)
		}
	}

	g := casegen.NewRealistic(5)
	for i := range 200 {
		doc := g.Case()
		b, _ := json.Marshal(doc)
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		consent := Consent(c)
		r := project(Source{CaseID: "c", PublicID: "p0123456789abcdef", Case: c})
		if r == nil {
			continue
		}
		rb, _ := json.Marshal(r)
		var rec map[string]any
		json.Unmarshal(rb, &rec)
		for _, f := range schema.PublicFields() {
			if strings.Contains(f.Record, ".") || c.Level(f.Path) != schema.Public {
				continue
			}
			want := valueAt(doc, f.Path)
			got, has := rec[f.Record]
			switch {
			case consent == ConsentFull && f.Anonymise != "coarsen" && want != nil:
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("case %d: %s = %v, record %s = %v", i, f.Path, want, f.Record, got)
				}
			case consent == ConsentAnonymous && f.Anonymise != "" && f.Anonymise != "coarsen" && f.Anonymise != "month" && want != nil:
				if has && fmt.Sprint(got) == fmt.Sprint(want) {
					t.Errorf("case %d (anonymous): %s (anonymise %s) published as it is in %s", i, f.Path, f.Anonymise, f.Record)
				}
			}
		}
	}
}

func valueAt(doc map[string]any, path string) any {
	var v any = doc
	for _, name := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[name]
	}
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s)
	}
	return v
}
