package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFormFieldsFromSchema checks that the form's field list comes from
// the schema: every field, its level and how it is asked for.
func TestFormFieldsFromSchema(t *testing.T) {
	ff := FormFields()
	if len(ff) != len(Fields()) {
		t.Fatalf("%d form fields for %d schema fields", len(ff), len(Fields()))
	}
	byPath := map[string]FormField{}
	for _, f := range ff {
		byPath[f.Path] = f
	}
	for path, want := range map[string]FormKind{
		"person": FormGroup, "person.name": FormText, "person.birth_year": FormInteger,
		"person.gender": FormChoice, "person.citizenship": FormList, "person.contacts": FormEntries,
		"charges": FormEntries, "detention.conditions": FormChoices, "detention.notes": FormLongText,
		"notes": FormLongText, "sensitivity_overrides": FormMap, "publication.consent": FormChoice,
	} {
		if got := byPath[path].Kind; got != want {
			t.Errorf("%s: kind %d, want %d", path, got, want)
		}
	}
	if f := byPath["person.birth_date"]; f.Level != Confidential || !strings.Contains(f.Hint, "YYYY") {
		t.Errorf("person.birth_date: %+v", f)
	}
	if !byPath["person.name"].Required || byPath["person.region"].Required {
		t.Error("required is wrong")
	}
	if byPath["schema"].Const != Version {
		t.Errorf("schema const %q", byPath["schema"].Const)
	}
	if !slices.Contains(byPath["mistreatment.kind"].Choices, "beating") {
		t.Error("mistreatment.kind has no choices")
	}
}

// TestCheckSameMessages checks that Check says of one field what
// Validate says of a whole case with the same value, and nothing about
// the rest of a partial document.
func TestCheckSameMessages(t *testing.T) {
	doc := map[string]any{"charges": []any{map[string]any{"date": "2022-13-01"}}}
	got := Default().Check(doc, "charges[0].date")
	if len(got) != 1 {
		t.Fatalf("problems %v", got)
	}
	full, err := Parse([]byte("person: {name: X}\ncharges: [{date: 2022-13-01}]\n"))
	ve, _ := err.(*ValidationError)
	if full != nil || ve == nil || len(ve.Problems) != 1 || !reflect.DeepEqual(ve.Problems[0], got[0]) {
		t.Fatalf("Parse says %v, Check says %v", err, got)
	}
	if p := Default().Check(map[string]any{"person": map[string]any{}}, "person.name"); len(p) != 1 || p[0].Message != "is required" {
		t.Errorf("missing name: %v", p)
	}
	if p := Default().Check(map[string]any{"person": map[string]any{"birth_date": "1990-02-30"}}, "person.birth_date"); len(p) != 1 || !strings.Contains(p[0].Message, "value not shown: confidential") {
		t.Errorf("confidential date: %v", p)
	}
	if p := Default().Check(map[string]any{"detention": []any{map[string]any{"from": "2022-05", "to": "2022-01"}}}, "detention[0]"); len(p) != 1 || p[0].Rule != "date-order" {
		t.Errorf("date order: %v", p)
	}
}
