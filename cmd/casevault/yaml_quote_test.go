package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/casevault/casevault/schema"
	"pgregory.net/rapid"
)

// Any string value (control, bidi, escape characters included) written by
// caseYAML, as 'case show' and 'case edit' write it, parses back as the
// same string, and no raw control or bidi character reaches the text.
func TestCaseYAMLStringsRoundTrip(t *testing.T) {
	check := func(t interface {
		Fatalf(string, ...any)
	}, s string) {
		doc, _ := json.Marshal(map[string]any{"schema": "case.v1", "person": map[string]any{"name": "Ivan Petrov", "region": s}, "notes": s})
		c, err := schema.FromJSON(doc)
		if err != nil {
			return // not a document the schema takes
		}
		y, err := caseYAML(c)
		if err != nil {
			t.Fatalf("caseYAML(%q): %v", s, err)
		}
		for _, r := range string(y) {
			if r != '\n' && !yamlPrintable(r) {
				t.Fatalf("caseYAML(%q) writes %U raw:\n%s", s, r, y)
			}
		}
		back, err := schema.Parse(y)
		if err != nil {
			t.Fatalf("%q: the written YAML does not parse: %v\n%s", s, err, y)
		}
		if !strings.EqualFold(string(back.Canonical()), string(c.Canonical())) || string(back.Canonical()) != string(c.Canonical()) {
			t.Fatalf("%q: round trip changed the case:\n%s\n%s", s, c.Canonical(), back.Canonical())
		}
	}
	for _, s := range []string{"Esc \x1b[2J\x1b[31mRED \u202eevil", "a\u200fb", "tab\there", "bell\a", "line\nbreak\x1b", "\ufeffbom", "del\x7f", "nbsp\u00a0x", "\n", "\n\n", " \n", "x\n\n\n"} {
		check(t, s)
	}
	rapid.Check(t, func(rt *rapid.T) {
		s := rapid.String().Draw(rt, "s")
		if !utf8.ValidString(s) {
			return
		}
		check(rt, s)
	})
}
