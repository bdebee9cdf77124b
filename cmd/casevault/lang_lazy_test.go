package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// The help texts of ru and uk are translated only when something shows
// them (localizeHelpOnUse). Every way they are shown must still show them
// translated: --help, help COMMAND, a group command without subcommand,
// shell completion's descriptions and the manual pages.
func TestHelpTranslatedWhereShown(t *testing.T) {
	for _, lang := range []string{"ru", "uk"} {
		short := i18n.T(lang, "cmd.case.add.short", nil)
		usage := i18n.T(lang, "help.usage", nil)
		long, _, _ := strings.Cut(strings.TrimSpace(i18n.T(lang, "cmd.case.add.long", nil)), "\n")
		if short == i18n.T(i18n.Default, "cmd.case.add.short", nil) || usage == "Usage:" {
			t.Fatalf("%s: the catalogue has no translation of cmd.case.add.short or help.usage", lang)
		}
		dir := t.TempDir()
		for _, tc := range []struct {
			args []string
			want []string
		}{
			{[]string{"--help"}, []string{usage, i18n.T(lang, "cmd.case.short", nil)}},
			{[]string{"case", "--help"}, []string{usage, short}},
			{[]string{"help", "case"}, []string{usage, short}},
			{[]string{"case"}, []string{usage, short}},
			{[]string{"case", "add", "-h"}, []string{long, usage, i18n.T(lang, "help.flags", nil)}},
			{[]string{"help", "case", "add"}, []string{long, usage}},
			{[]string{"__complete", "case", ""}, []string{"add\t" + short}},
			{[]string{"man", dir}, nil},
		} {
			e, out, errb := coreEnv(nil, map[string]string{"CASEVAULT_LANG": lang})
			if code := run(tc.args, e); code != exitOK {
				t.Fatalf("%s: casevault %s: exit %d\n%s", lang, strings.Join(tc.args, " "), code, errb)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("%s: casevault %s does not print %q:\n%s", lang, strings.Join(tc.args, " "), w, out)
				}
			}
		}
		page, err := os.ReadFile(filepath.Join(dir, "casevault-case-add.1"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), short) {
			t.Errorf("%s: the manual page of case add does not hold %q:\n%.400s", lang, short, page)
		}
	}
}
