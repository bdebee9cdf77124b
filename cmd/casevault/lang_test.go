package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/i18n"
)

// TestExitHintsTranslated: every hint of the exit-code table is a message
// of the catalogue, said in Russian and Ukrainian; a hint added to
// exitRules in English only fails here with the line to add.
func TestExitHintsTranslated(t *testing.T) {
	check := func(where, h string) {
		t.Helper()
		if h == "" {
			return
		}
		for _, lang := range i18n.Languages[1:] {
			if got := i18n.TranslateText(lang, h); got == h {
				t.Errorf("%s: hint has no %s translation in vault/i18n/active.*.toml (add \"hint.NAME\" = %q to active.en.toml and translate it):\n  %s", where, lang, h, h)
			}
		}
	}
	for i, r := range exitRules {
		if r.hint != nil {
			check("exitRules["+string(rune('0'+i/10))+string(rune('0'+i%10))+"]", r.hint(errors.New("unrelated")))
		}
	}
	// The hints made from the error's fields.
	for _, err := range []error{
		&vault.QuarantinedError{ID: "c7k2m9xq4a5b6c7d8", Org: "Beta"},
		&vault.StaleError{Case: "c7k2m9xq4a5b6c7d8", Base: 2, Current: 4},
		&vault.StaleError{Case: "c7k2m9xq4a5b6c7d8", Base: 5, Current: 4},
		&vault.NotSharedError{Case: "c7k2m9xq4a5b6c7d8", Org: "Beta Rights"},
		&vault.AmbiguousError{Kind: "case", By: "name"},
		&vault.AmbiguousError{Kind: "case", By: "ID prefix"},
		&vault.EvidenceInUseError{Evidence: "e3xq4a5b6c7dak2mz", Case: "c7k2m9xq4a5b6c7d8"},
	} {
		_, h := classify(err)
		if h == "" {
			t.Errorf("%T: no hint", err)
		}
		check(err.Error(), h)
		if ru := i18n.TranslateText("ru", h); strings.Contains(h, "c7k2m9xq4a5b6c7d8") && !strings.Contains(ru, "c7k2m9xq4a5b6c7d8") {
			t.Errorf("the Russian hint lost the case ID: %q", ru)
		}
	}
}

// TestChooseLang: --lang first (a list of several, for publish, names the
// site's languages, not the messages'), then CASEVAULT_LANG, then the
// first locale variable that is set.
func TestChooseLang(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "en"},
		{[]string{"--lang", "ru", "case", "list"}, map[string]string{"CASEVAULT_LANG": "uk"}, "ru"},
		{[]string{"case", "list", "--lang=uk"}, nil, "uk"},
		{[]string{"publish", "--lang", "uk,ru,en"}, nil, "en"},
		{[]string{"publish", "--lang=ru,uk"}, map[string]string{"CASEVAULT_LANG": "uk"}, "uk"},
		{[]string{"publish", "--lang", "ru,en"}, map[string]string{"LANG": "uk_UA.UTF-8"}, "uk"},
		{[]string{"publish", "--lang", "ru"}, map[string]string{"LANG": "uk_UA.UTF-8"}, "ru"},
		{[]string{"case", "show", "--", "--lang", "ru"}, nil, "en"},
		{nil, map[string]string{"CASEVAULT_LANG": "uk", "LANG": "ru_RU.UTF-8"}, "uk"},
		{nil, map[string]string{"LANG": "ru_RU.UTF-8"}, "ru"},
		{nil, map[string]string{"LC_MESSAGES": "uk_UA.UTF-8", "LANG": "ru_RU.UTF-8"}, "uk"},
		{nil, map[string]string{"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"},
		{nil, map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"},
		{[]string{"--lang", "fr"}, map[string]string{"LANG": "uk_UA.UTF-8"}, "uk"},
	} {
		got := chooseLang(tc.args, func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("chooseLang(%q, %v) = %s, want %s", tc.args, tc.env, got, tc.want)
		}
	}
}
