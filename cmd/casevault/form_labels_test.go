package main

import (
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/i18n"
)

// TestFormLabelsTranslated walks every field of the schema the form asks
// for and fails when one has no label of its own in English, Russian and
// Ukrainian (a form label in formText with its form.label.PATH
// translations, or ui.field.PATH in ui.LANG.toml): a field added to the
// schema without a label fails here instead of showing its English name.
// Every word of a controlled vocabulary the form offers must have its
// translation too.
func TestFormLabelsTranslated(t *testing.T) {
	fields := schema.FormFields()
	if len(fields) < 40 {
		t.Fatalf("only %d form fields: the schema was not read", len(fields))
	}
	for _, fld := range fields {
		for _, lang := range i18n.Languages {
			_, formLabel := formText["label."+fld.Path]
			switch {
			case formLabel && (lang == i18n.Default || i18n.Has(lang, "form.label."+fld.Path)):
			case i18n.Has(lang, "ui.field."+fld.Path):
			default:
				t.Errorf("field %s has no %s label: add ui.field.%s to ui.%s.toml", fld.Path, lang, fld.Path, lang)
			}
		}
		if fld.Kind != schema.FormChoice && fld.Kind != schema.FormChoices {
			continue
		}
		vocab, ok := choiceVocab[fld.Path]
		if !ok {
			if !untranslatedChoices[fld.Path] {
				t.Errorf("field %s offers choices %v but names no vocabulary in choiceVocab", fld.Path, fld.Choices)
			}
			continue
		}
		for _, c := range fld.Choices {
			for _, lang := range []string{"ru", "uk"} {
				if !i18n.Has(lang, vocabID(vocab, c)) {
					t.Errorf("%s: value %q has no %s translation (%s)", fld.Path, c, lang, vocabID(vocab, c))
				}
			}
		}
	}
}

// TestFormLabelsInLanguage checks what the form shows: a label that came
// from the field's name (Aliases, Gender, Region) is Russian and
// Ukrainian, and a vocabulary word is shown translated with the value the
// case file will hold.
func TestFormLabelsInLanguage(t *testing.T) {
	byPath := map[string]schema.FormField{}
	for _, f := range schema.FormFields() {
		byPath[f.Path] = f
	}
	for _, tc := range []struct{ lang, path, want string }{
		{"en", "person.aliases", "Aliases"}, {"ru", "person.aliases", "Другие имена"}, {"uk", "person.aliases", "Інші імена"},
		{"ru", "person.gender", "Пол"}, {"uk", "person.gender", "Стать"},
		{"ru", "person.region", "Регион"}, {"uk", "person.region", "Регіон"},
		{"ru", "person.name", "Имя (латиницей)"},
	} {
		f := &caseForm{lang: tc.lang}
		if got := f.label(byPath[tc.path]); got != tc.want {
			t.Errorf("%s label of %s = %q, want %q", tc.lang, tc.path, got, tc.want)
		}
	}
	if got := choiceText("ru", "status", "sentenced"); got != "осуждён (sentenced)" {
		t.Errorf("ru status choice = %q", got)
	}
	if got := choiceText("uk", "hearings.kind", "appeal"); got != "апеляція (appeal)" {
		t.Errorf("uk hearing choice = %q", got)
	}
	if got := choiceText("en", "status", "sentenced"); got != "sentenced" {
		t.Errorf("en status choice = %q", got)
	}
	if got := choiceText("ru", "charges.code", "RU-CC"); strings.Contains(got, "(") {
		t.Errorf("a code is not a word: %q", got)
	}
}
