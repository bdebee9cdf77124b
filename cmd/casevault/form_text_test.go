package main

import (
	"regexp"
	"sort"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// verbRe matches the fmt verbs of a form message (%s, %d, %q, %v, %w).
var verbRe = regexp.MustCompile(`%(\[\d+\])?[sdqvw]`)

func verbsOf(s string) []string {
	v := verbRe.FindAllString(s, -1)
	sort.Strings(v)
	return v
}

// TestFormTextCatalogue fails when a message of the case form is not in
// the catalogue as the code has it, or lacks a translation, or a
// translation drops or adds a value (%s, %d, …): the form would print
// %!d(MISSING) or lose a name.
func TestFormTextCatalogue(t *testing.T) {
	if len(formText) < 80 {
		t.Fatalf("only %d form messages: the map was not read", len(formText))
	}
	for id, en := range formText {
		cid := "form." + id
		if !i18n.Has(i18n.Default, cid) {
			t.Errorf("%s is not in vault/i18n/active.en.toml (add %q = %q)", cid, cid, en)
			continue
		}
		if got := i18n.T(i18n.Default, cid, nil); got != en {
			t.Errorf("%s: active.en.toml has %q, the code %q (translations are stale)", cid, got, en)
		}
		for _, l := range i18n.Languages[1:] {
			if !i18n.Has(l, cid) {
				t.Errorf("%s has no translation in active.%s.toml", cid, l)
				continue
			}
			tr := i18n.T(l, cid, nil)
			if a, b := verbsOf(tr), verbsOf(en); len(a) != len(b) || (len(a) > 0 && !equalStrings(a, b)) {
				t.Errorf("%s (%s): values %v, the English has %v: %q", cid, l, a, b, tr)
			}
		}
	}
	for _, id := range i18n.IDs(i18n.Default) {
		if len(id) > 5 && id[:5] == "form." {
			if _, ok := formText[id[5:]]; !ok {
				t.Errorf("%s is in the catalogue but no longer in formText", id)
			}
		}
	}
}

// TestFormTextInLanguage checks the one lookup: a translation in ru and uk,
// the English otherwise, arguments filled in, an unknown ID shown as is.
func TestFormTextInLanguage(t *testing.T) {
	cases := []struct{ lang, id, want string }{
		{"en", "section.charges", "Charges"},
		{"", "section.charges", "Charges"},
		{"ru", "section.charges", "Обвинения"},
		{"uk", "section.charges", "Обвинувачення"},
		{"ru", "no.such", "no.such"},
	}
	for _, c := range cases {
		if got := formTextIn(c.lang, c.id); got != c.want {
			t.Errorf("formTextIn(%q, %q) = %q, want %q", c.lang, c.id, got, c.want)
		}
	}
	if got, want := formTextIn("ru", "summary.page", 2, 3), "Сводка, страница 2 из 3"; got != want {
		t.Errorf("summary.page in ru = %q, want %q", got, want)
	}
	if got, want := formTextIn("uk", "result.stored", "c7k2", 1), "справу c7k2 збережено (редакція 1)"; got != want {
		t.Errorf("result.stored in uk = %q, want %q", got, want)
	}
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
