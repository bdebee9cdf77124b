package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// TestProblemsLocalize: every problem of the validator is a catalogued
// message whose English rendering is exactly its Message, and which is
// said in Russian and Ukrainian without a raw message ID or a placeholder
// left over.
func TestProblemsLocalize(t *testing.T) {
	docs := []string{
		"person:\n  name: X\n  gender: mael\nstatus: sentensed\nfoo: 1\n",
		"person:\n  name: ''\n  birth_year: 1990\n  birth_date: 1991-02-03\n  citizenship: [ru]\ndetention:\n  - kind: pretrial\n    from: 2024-05-01\n    to: 2023-01-01\n",
		"person:\n  name: [1, 2]\n  aliases: a\nsensitivity_overrides:\n  person.birth_date: public\n  person.nmae: confidential\n",
		"person:\n  name: X\n  birth_year: 99999\nmistreatment:\n  - kind: [beating, beating]\n    evidence: [x]\n",
		"person:\n  name: X\n  gender: true\n",
		"status: pretrial\n",
	}
	seen := map[string]bool{}
	for _, doc := range docs {
		c, err := Parse([]byte(doc))
		if err == nil {
			err = c.Validate()
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%q: want a *ValidationError, got %v", doc, err)
		}
		for _, p := range ve.Problems {
			if p.Msg.ID == "" {
				t.Errorf("%s: problem %q (%s) has no message ID", p.Path, p.Message, p.Rule)
				continue
			}
			seen[p.Rule] = true
			if got := p.Localize("en"); got != p.Message {
				t.Errorf("%s: English rendering %q differs from Message %q", p.Path, got, p.Message)
			}
			for _, lang := range []string{"ru", "uk"} {
				got := p.Localize(lang)
				if got == p.Message || strings.Contains(got, "{{") || strings.Contains(got, "schema.") || strings.Contains(got, "vocab.") || strings.Contains(got, "<no value>") {
					t.Errorf("%s: %s rendering %q of %q is untranslated or broken", p.Path, lang, got, p.Message)
				}
			}
		}
		if ru := ve.Localize("ru"); !strings.HasPrefix(ru, "файл дела содержит ошибки:") {
			t.Errorf("Russian error starts %q", ru)
		}
	}
	for _, rule := range []string{"required", "additionalProperties", "enum", "type", "minLength", "date-order", "consistency", "override-lowers", "override-unknown-field", "pattern", "maximum", "uniqueItems"} {
		if !seen[rule] {
			t.Errorf("no test document breaks rule %s", rule)
		}
	}
}

// TestFieldDescriptionsTranslated fails when a field of the case model has
// a description the catalogue does not hold in English exactly, or not in
// every language: the template's comments would be English. A field added
// to case.v1.json shows up here with the line to add to
// vault/i18n/active.en.toml (and its translations to active.ru.toml and
// active.uk.toml).
func TestFieldDescriptionsTranslated(t *testing.T) {
	var missing []string
	for _, f := range theModel().fields {
		if f.Description == "" {
			continue
		}
		id := "field." + f.Path
		if !i18n.Has("en", id) || i18n.T("en", id, nil) != f.Description {
			missing = append(missing, fmt.Sprintf("%q = %q", id, f.Description))
			continue
		}
		for _, lang := range i18n.Languages[1:] {
			if !i18n.Has(lang, id) {
				missing = append(missing, fmt.Sprintf("%s: %q (translate)", lang, id))
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("field descriptions missing from the catalogue (vault/i18n/active.*.toml):\n  %s", strings.Join(missing, "\n  "))
	}
}

// TestTemplateInLanguages: the translated templates are the English one
// with other comments: filled in the same way they parse to the same case.
func TestTemplateInLanguages(t *testing.T) {
	fill := func(b []byte) string {
		return strings.Replace(string(b), "\n  name:\n", "\n  name: Ivan Petrov\n", 1)
	}
	en, err := Parse([]byte(fill(Template())))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ru", "uk"} {
		tmpl := TemplateIn(lang)
		c, err := Parse([]byte(fill(tmpl)))
		if err != nil {
			t.Fatalf("%s template: %v", lang, err)
		}
		if fmt.Sprint(c.Doc) != fmt.Sprint(en.Doc) {
			t.Errorf("%s template parses to %v, English to %v", lang, c.Doc, en.Doc)
		}
		if !strings.Contains(string(tmpl), "[публ") || strings.Contains(string(tmpl), "The person the case is about") {
			t.Errorf("%s template comments are not translated:\n%s", lang, tmpl[:400])
		}
	}
}
