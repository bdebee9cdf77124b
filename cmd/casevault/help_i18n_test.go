package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/casevault/casevault/vault/i18n"
	"github.com/spf13/cobra"
)

//go:generate go test -run TestHelpCatalogue -update-catalogue .

var updateCatalogue = flag.Bool("update-catalogue", false, "write the help texts of the commands into vault/i18n/help.en.toml and list untranslated ones in vault/i18n/translate.{ru,uk}.toml")

const catalogueDir = "../../vault/i18n"

// englishRoot builds the command tree in English.
func englishRoot() *cobra.Command {
	return newRootCmd(&globals{env: &env{getenv: func(string) string { return "" }}, lang: i18n.Default})
}

// TestHelpCatalogue walks every command and fails when its Short, Long,
// Example or a flag's usage is not in the catalogue, in English exactly
// as the code has it and translated into every language. A command added
// later shows up here; 'go generate ./cmd/casevault' (or this test with
// -update-catalogue) writes the English texts into help.en.toml and the
// ones to translate into translate.ru.toml and translate.uk.toml.
func TestHelpCatalogue(t *testing.T) {
	texts := map[string]string{}
	helpTexts(englishRoot(), func(id string, text *string) { texts[id] = *text })
	if len(texts) < 100 {
		t.Fatalf("only %d help texts found: the walk is broken", len(texts))
	}
	if *updateCatalogue {
		writeHelpCatalogue(t, texts)
		return
	}
	var ids []string
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var missing, changed []string
	untranslated := map[string][]string{}
	for _, id := range ids {
		switch {
		case !i18n.Has(i18n.Default, id):
			missing = append(missing, id)
			continue
		case i18n.T(i18n.Default, id, nil) != texts[id]:
			changed = append(changed, id)
		}
		for _, l := range i18n.Languages[1:] {
			if !i18n.Has(l, id) {
				untranslated[l] = append(untranslated[l], id)
			}
		}
	}
	var b strings.Builder
	if len(missing) > 0 {
		fmt.Fprintf(&b, "\n%d help texts are not in vault/i18n/help.en.toml (new commands or flags):\n", len(missing))
		for _, id := range missing {
			fmt.Fprintf(&b, "  %q = %q\n", id, texts[id])
		}
	}
	if len(changed) > 0 {
		fmt.Fprintf(&b, "\n%d help texts changed in the code since the catalogue was made (translations are stale):\n", len(changed))
		for _, id := range changed {
			fmt.Fprintf(&b, "  %s\n", id)
		}
	}
	for _, l := range i18n.Languages[1:] {
		if len(untranslated[l]) > 0 {
			fmt.Fprintf(&b, "\n%d help texts have no translation in vault/i18n/help.%s.toml:\n  %s\n", len(untranslated[l]), l, strings.Join(untranslated[l], "\n  "))
		}
	}
	if b.Len() > 0 {
		t.Errorf("help texts missing from the catalogue:%s\nto fix: run 'go generate ./cmd/casevault', which writes help.en.toml and puts what to translate in vault/i18n/translate.ru.toml and translate.uk.toml; translate those entries and move them into help.ru.toml and help.uk.toml", b.String())
	}
}

// writeHelpCatalogue writes help.en.toml from texts, and the entries that
// lack a translation or whose English changed into translate.LANG.toml.
func writeHelpCatalogue(t *testing.T, texts map[string]string) {
	old := readTOML(t, filepath.Join(catalogueDir, "help.en.toml"))
	if err := os.WriteFile(filepath.Join(catalogueDir, "help.en.toml"), encodeCatalogue("casevault help texts in English, made from the commands by 'go generate ./cmd/casevault': do not edit, change the code.", texts), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Languages[1:] {
		have := readTOML(t, filepath.Join(catalogueDir, "help."+l+".toml"))
		todo := map[string]string{}
		stale := false
		for id, en := range texts {
			if _, ok := have[id]; !ok || old[id] != en {
				todo[id] = en
			}
			if _, ok := have[id]; ok && old[id] != en {
				// The English changed: the translation is of the old
				// text. It goes, so that the tests show it missing.
				delete(have, id)
				stale = true
			}
		}
		for id := range have {
			if _, ok := texts[id]; !ok {
				delete(have, id) // a command or flag that is gone
				stale = true
			}
		}
		if stale {
			head := fmt.Sprintf("casevault help texts (%s): the translations of help.en.toml; keep commands, flags and {{...}} as they are.", l)
			if err := os.WriteFile(filepath.Join(catalogueDir, "help."+l+".toml"), encodeCatalogue(head, have), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		name := filepath.Join(catalogueDir, "translate."+l+".toml")
		if len(todo) == 0 {
			os.Remove(name)
			continue
		}
		head := fmt.Sprintf("%d help texts to translate into %s: translate each, then move it into help.%s.toml (replacing an entry of the same ID) and delete this file.", len(todo), l, l)
		if err := os.WriteFile(name, encodeCatalogue(head, todo), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d texts to translate", name, len(todo))
	}
}

func readTOML(t *testing.T, name string) map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(b), &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// encodeCatalogue writes texts as a catalogue a translator can edit: one
// quoted ID per entry, in order, multi-line texts as TOML literal strings.
func encodeCatalogue(head string, texts map[string]string) []byte {
	var ids []string
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", head)
	prev := ""
	for _, id := range ids {
		group := id
		if i := strings.Index(id, ".flag."); i >= 0 {
			group = id[:i]
		} else if i := strings.LastIndexByte(id, '.'); i >= 0 {
			group = id[:i]
		}
		if group != prev {
			b.WriteString("\n")
			prev = group
		}
		b.WriteString(tomlEntry(id, texts[id]))
	}
	return b.Bytes()
}

func tomlEntry(id, text string) string {
	key := fmt.Sprintf("%q", id)
	if strings.Contains(text, "\n") && !strings.Contains(text, "'''") && !strings.ContainsAny(text, "\r") {
		return key + " = '''\n" + text + "'''\n"
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(map[string]string{"x": text}); err != nil {
		panic(err)
	}
	return key + " =" + strings.TrimPrefix(strings.TrimSpace(buf.String()), "x =") + "\n"
}
