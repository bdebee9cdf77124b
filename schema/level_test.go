package schema

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestLevelNames(t *testing.T) {
	for _, l := range []Level{Public, Restricted, Confidential} {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l, got, err)
		}
	}
	if !(Public < Restricted && Restricted < Confidential) {
		t.Error("levels out of order")
	}
	if _, err := ParseLevel("secret"); err == nil {
		t.Error("ParseLevel(secret) succeeded")
	}
	var zero Level
	if _, err := zero.MarshalText(); err == nil {
		t.Error("the zero Level marshals")
	}
}

func TestDefaultLevel(t *testing.T) {
	for path, want := range map[string]Level{
		"person.name":               Public,
		"person.birth_date":         Confidential,
		"person.birth_year":         Public,
		"person.aliases":            Restricted,
		"person.contacts":           Confidential,
		"person.contacts.phone":     Confidential,
		"charges.article":           Public,
		"charges[3].article":        Public,
		"detention.notes":           Restricted,
		"mistreatment.date":         Public,
		"mistreatment.kind":         Public,
		"mistreatment.description":  Restricted,
		"mistreatment.perpetrators": Confidential,
		"mistreatment.witnesses":    Confidential,
		"mistreatment.evidence":     Restricted,
		"proceedings.judge":         Public,
		"status":                    Public,
		"sources":                   Restricted,
		"notes":                     Confidential,
		"publication.consent":       Restricted,
		"publication.summary":       Public,
		"sensitivity_overrides":     Restricted,
	} {
		got, ok := DefaultLevel(path)
		if !ok || got != want {
			t.Errorf("DefaultLevel(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	if got, ok := DefaultLevel("person.nmae"); ok || got != Confidential {
		t.Errorf("DefaultLevel(unknown) = %v, %v; want confidential, false", got, ok)
	}
}

// TestSchemaAnnotations checks the rules every part of case.v1.json keeps:
// each property has a level and a description, no child is less secret
// than its parent, and every object rejects unknown fields.
func TestSchemaAnnotations(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(SchemaJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$id"] != "https://casevault.example/schema/case.v1.json" ||
		doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$id or $schema wrong")
	}
	var check func(where string, s map[string]any, parent Level)
	check = func(where string, s map[string]any, parent Level) {
		if s["type"] == "object" {
			if _, ok := s["additionalProperties"]; !ok {
				t.Errorf("%s: object without additionalProperties", where)
			}
			if s["additionalProperties"] != false && where != "sensitivity_overrides" {
				t.Errorf("%s: additionalProperties is not false", where)
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			check(where+"[]", items, parent)
		}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			p := p.(map[string]any)
			path := strings.TrimPrefix(strings.ReplaceAll(where+"."+name, "[]", ""), ".")
			level, err := ParseLevel(p["x-sensitivity"].(string))
			if err != nil {
				t.Errorf("%s: %v", path, err)
			}
			if level < parent {
				t.Errorf("%s: %v, less secret than its parent (%v)", path, level, parent)
			}
			if d, _ := p["description"].(string); d == "" {
				t.Errorf("%s: no description", path)
			}
			check(path, p, level)
		}
	}
	check("", doc, Public)

	fields := Fields()
	if len(fields) < 40 || fields[0].Path != "schema" || fields[1].Path != "person" || fields[2].Path != "person.name" {
		t.Errorf("Fields() not in schema order: %v", fields[:3])
	}
	for _, f := range fields {
		if l, ok := DefaultLevel(f.Path); !ok || l != f.Level {
			t.Errorf("%s: Fields says %v, DefaultLevel %v", f.Path, f.Level, l)
		}
	}
	for _, want := range []string{"person.contacts.address", "mistreatment.evidence", "detention.conditions", "sensitivity_overrides"} {
		if !slices.ContainsFunc(fields, func(f FieldInfo) bool { return f.Path == want }) {
			t.Errorf("Fields() lacks %s", want)
		}
	}
}

func TestLevelOverrides(t *testing.T) {
	c := mustParse(t, []byte(`
person:
  name: "Vladimir Kara-Murza"
  birth_date: 1981-09-07
  contacts: [{role: lawyer, name: X}]
mistreatment:
  - description: "..."
sensitivity_overrides:
  person.name: confidential
  mistreatment: restricted
`))
	for path, want := range map[string]Level{
		"person.name":              Confidential, // raised
		"person.name_native":       Public,       // untouched
		"person.birth_date":        Confidential,
		"person.contacts.name":     Confidential,
		"mistreatment.date":        Restricted, // raised through its parent
		"mistreatment[0].kind":     Restricted,
		"mistreatment.description": Restricted,
		"mistreatment.witnesses":   Confidential, // a parent's override never lowers
		"no.such.field":            Confidential,
	} {
		if got := c.Level(path); got != want {
			t.Errorf("Level(%q) = %v, want %v", path, got, want)
		}
	}
	// An override that would lower a level is rejected by Validate; were
	// one present anyway, Level ignores it.
	c.Doc["sensitivity_overrides"] = map[string]any{"notes": "public"}
	if got := c.Level("notes"); got != Confidential {
		t.Errorf("lowering override applied: Level(notes) = %v", got)
	}
	wantProblem(t, c.Validate(), "sensitivity_overrides.notes", "override-lowers")
}

func TestFilter(t *testing.T) {
	c := mustParse(t, readCase(t, "kara-murza.yaml"))
	// The sample refers to no evidence (a new case has none): give it some.
	c.Doc["mistreatment"].([]any)[0].(map[string]any)["evidence"] = []any{"eabcdefghijklmnop"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	public := c.Filter(func(_ string, l Level) bool { return l == Public })
	canon := string(public.Canonical())
	for _, secret := range []string{"contacts", "Евгения", "witnesses", "сокамерник", "perpetrators",
		"birth_date", "1981-09-07", "Working notes", "sources", "consent", "evidence", "sensitivity_overrides",
		"Polyneuropathy", "Medical examination" /* mistreatment.description, raised to confidential */} {
		if strings.Contains(canon, secret) {
			t.Errorf("public copy holds %q:\n%s", secret, canon)
		}
	}
	for _, want := range []string{`"name":"Vladimir Kara-Murza"`, `"name_native":"Владимир Кара-Мурза"`,
		`"birth_year":1981`, `"article":"207.3(2)"`, `"facility":"IK-6, Omsk region"`, `"kind":["denial-of-medical-care"]`,
		`"court":"Moscow City Court"`, `"status":"exchanged"`, `"summary":`} {
		if !strings.Contains(canon, want) {
			t.Errorf("public copy lacks %s:\n%s", want, canon)
		}
	}
	if _, err := FromJSON(public.Canonical()); err != nil {
		t.Errorf("public copy is not a valid case: %v", err)
	}

	restricted := c.Filter(func(_ string, l Level) bool { return l <= Restricted })
	canon = string(restricted.Canonical())
	for _, want := range []string{"sources", "evidence", "consent", "aliases", "Polyneuropathy"} {
		if !strings.Contains(canon, want) {
			t.Errorf("restricted copy lacks %s", want)
		}
	}
	for _, secret := range []string{"contacts", "witnesses", "birth_date", "Medical examination"} {
		if strings.Contains(canon, secret) {
			t.Errorf("restricted copy holds %s", secret)
		}
	}

	// Filter copies: changing the copy leaves the case as it was.
	all := c.Filter(func(string, Level) bool { return true })
	all.Doc["person"].(map[string]any)["name"] = "changed"
	if c.Name() != "Vladimir Kara-Murza" {
		t.Error("Filter shares maps with the case")
	}
	if none := c.Filter(func(string, Level) bool { return false }); len(none.Doc) != 0 {
		t.Errorf("keeping nothing left %v", none.Doc)
	}

	// Paths given to keep have no indices.
	var paths []string
	c.Filter(func(p string, _ Level) bool { paths = append(paths, p); return true })
	if slices.ContainsFunc(paths, func(p string) bool { return strings.Contains(p, "[") }) {
		t.Errorf("keep saw a path with indices: %v", paths)
	}
	if !slices.Contains(paths, "person.contacts.phone") {
		t.Errorf("keep never saw person.contacts.phone")
	}
}

func TestFilterOverrideHidesName(t *testing.T) {
	c := mustParse(t, []byte("person: {name: Anonymous Person, gender: female}\nsensitivity_overrides: {person.name: confidential}\n"))
	public := c.Filter(func(_ string, l Level) bool { return l == Public })
	if got := string(public.Canonical()); got != `{"person":{"gender":"female"},"schema":"case.v1"}` {
		t.Errorf("public copy = %s", got)
	}
}
