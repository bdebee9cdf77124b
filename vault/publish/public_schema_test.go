package publish

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// publicSchema compiles schema/public.v1.json as a partner site would.
func publicSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.PublicSchemaJSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.PublicSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.PublicSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validatePublic(t testing.TB, s *jsonschema.Schema, b []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// TestJSONOutputMatchesSchema validates every JSON output the tests can
// make against schema/public.v1.json: the fixtures (own, anonymous and
// partner cases), an empty publication, a redacted one, one whose text
// carried invisible characters, and one with k lowered.
func TestJSONOutputMatchesSchema(t *testing.T) {
	s := publicSchema(t)
	leaky := setField(t, loadCase(t, "kara-murza"), "publication.summary", "Call \u202e+7 912 345-67-89\u202c or write to family@example.org.\u200b")
	cases := map[string]struct {
		src []Source
		o   Options
	}{
		"fixtures":      {fixtureSources(t), fixtureOptions},
		"own only":      {fixtureSources(t), Options{K: DefaultK}},
		"k=1":           {fixtureSources(t), Options{K: 1, From: []string{testPartner}, Partners: []string{testPartner}}},
		"empty":         {nil, Options{}},
		"redacted":      {[]Source{source("km", leaky)}, Options{Redact: true}},
		"anonymous k=1": {[]Source{source("anonymous", loadCase(t, "anonymous"))}, Options{K: 1}},
	}
	for name, c := range cases {
		p := build(t, c.src, "json", c.o)
		if err := validatePublic(t, s, p.Files["cases.json"]); err != nil {
			t.Errorf("%s: cases.json does not match public.v1: %v\n%s", name, err, p.Files["cases.json"])
		}
	}
}

// TestPublicSchemaRejects: the schema is strict enough to catch what a
// publication must never hold, so a partner site validating against it
// would notice.
func TestPublicSchemaRejects(t *testing.T) {
	s := publicSchema(t)
	p := build(t, fixtureSources(t), "json", fixtureOptions)
	var doc map[string]any
	if err := json.Unmarshal(p.Files["cases.json"], &doc); err != nil {
		t.Fatal(err)
	}
	var anon map[string]any
	for _, c := range doc["cases"].([]any) {
		if m := c.(map[string]any); m["anonymous"] == true {
			anon = m
		}
	}
	if anon == nil {
		t.Fatal("no anonymous case in the fixtures' publication")
	}
	for name, change := range map[string]func(m map[string]any) func(){
		"anonymous with a full date": func(m map[string]any) func() {
			old := m["verdict_date"]
			m["verdict_date"] = "2023-09-16"
			return func() { m["verdict_date"] = old }
		},
		"anonymous with a region": func(m map[string]any) func() {
			m["region"] = "Omsk"
			return func() { delete(m, "region") }
		},
		"anonymous with a facility": func(m map[string]any) func() {
			d := m["detention"].([]any)[0].(map[string]any)
			d["facility"] = "SIZO-1, Omsk"
			return func() { delete(d, "facility") }
		},
		"unknown field": func(m map[string]any) func() {
			m["notes"] = "working notes"
			return func() { delete(m, "notes") }
		},
		"zero-width space": func(m map[string]any) func() {
			old := m["summary"]
			m["summary"] = "A young\u200b woman"
			return func() { m["summary"] = old }
		},
		"right-to-left override": func(m map[string]any) func() {
			old := m["summary"]
			m["summary"] = "\u202eavonrimS"
			return func() { m["summary"] = old }
		},
		"no origin": func(m map[string]any) func() {
			old := m["origin"]
			delete(m, "origin")
			return func() { m["origin"] = old }
		},
	} {
		undo := change(anon)
		b, _ := json.Marshal(doc)
		if err := validatePublic(t, s, b); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
		undo()
	}
	b, _ := json.Marshal(doc)
	if err := validatePublic(t, s, b); err != nil {
		t.Fatalf("the unchanged document no longer validates: %v", err)
	}
}
