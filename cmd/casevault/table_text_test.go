package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/i18n"
)

// TestTableHeadersCatalogued fails when a column of a table, a dimension
// of stats or a fixed word of the tables and the resolve view has no
// English, Russian or Ukrainian text in the catalogue (ui.LANG.toml).
func TestTableHeadersCatalogued(t *testing.T) {
	var ids []string
	for table, cols := range tableColumns {
		for _, c := range cols {
			ids = append(ids, "ui.table."+table+"."+c)
		}
	}
	for _, d := range (vault.Stats{}).Dimensions() {
		ids = append(ids, "ui.table.stats.dim."+d.Name)
	}
	ids = append(ids, "ui.table.stats.cases", "ui.table.stats.total", "ui.table.stats.none",
		"ui.word.you", "ui.word.removed", "ui.word.ours", "ui.word.partner", "ui.word.keyClassic", "ui.word.keyPQ",
		"ui.word.allFields", "ui.word."+vault.AgendaHearing, "ui.word."+vault.AgendaDeadline)
	for _, k := range []string{"id", "case", "name", "mediaType", "size", "bytes", "sha256", "added", "addedBy", "collectedBy", "collectedAt", "source", "note"} {
		ids = append(ids, "ui.evidence."+k)
	}
	for _, lang := range i18n.Languages {
		for _, id := range ids {
			if !i18n.Has(lang, id) {
				t.Errorf("ui.%s.toml has no %s", lang, id)
			}
		}
	}
	if len(ids) < 60 {
		t.Fatalf("only %d table texts: the tables were not read", len(ids))
	}
}

// headerLiteral is a table header written into a command as an English
// string: two or more words in capitals separated by tabs, or a Printf
// header of padded capitals ("ID", "NAME" as arguments are caught by the
// first form in practice).
var headerLiteral = regexp.MustCompile(`"[A-Z][A-Z0-9 -]*(\\t[A-Z][A-Z0-9 -]*)+(\\t)?(\\n)?"`)

// TestNoHardcodedTableHeaders fails when a command prints a table whose
// header is an English literal rather than a catalogue entry (a new table
// must add its columns to tableColumns and ui.LANG.toml).
func TestNoHardcodedTableHeaders(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if m := headerLiteral.FindString(line); m != "" {
				t.Errorf("%s:%d: table header %s is English only: add its columns to tableColumns (table_text.go) and ui.{en,ru,uk}.toml", f, i+1, m)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d command files read", checked)
	}
	// The pattern catches what it is meant to.
	if !headerLiteral.MatchString(`fmt.Fprintln(tw, "NAME\tKEY\tFINGERPRINT\tADDED")`) {
		t.Fatal("the header pattern misses a header")
	}
}

// TestConflictViewLang renders the resolve view in each language: its
// words translated, paths, values and the command to type unchanged.
func TestConflictViewLang(t *testing.T) {
	id, err := vault.ParseCaseID("c" + strings.Repeat("a", 16))
	if err != nil {
		t.Fatal(err)
	}
	view := &vault.ConflictView{
		Conflict: &vault.Conflict{Seq: 2, Source: "Beta Rights", BundleID: "b1", OriginCaseID: "cx", OriginRev: 3,
			Time: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), SHA256: strings.Repeat("ab", 32), Unmerged: []string{"person.contacts"}},
		BaseRev: 4, LocalRev: 5, Base: map[string]any{},
	}
	want := map[string][]string{
		"en": {"# case " + id.String() + ": conflict 2 (sha256 abababababab) from \"Beta Rights\" (bundle b1, their case cx revision 3), recorded 2026-11-30T12:00:00Z",
			"# base: revision 4 (the last version received from them); local: revision 5", "changed here since the base (0):",
			"local -> theirs (0):", "not merged (we hold more", "decide: casevault case resolve " + id.String() + " --conflict 2 --expect abababababab --take local|theirs|edit"},
		"ru": {"# дело " + id.String() + ": конфликт 2 (sha256 abababababab) от \"Beta Rights\" (пакет b1, их дело cx, редакция 3)",
			"# основа: редакция 4", "изменено у нас после основы (0):", "изменено ими после основы (0):", "наша -> их (0):",
			"не объединено", "решить: casevault case resolve " + id.String() + " --conflict 2 --expect abababababab --take local|theirs|edit"},
		"uk": {"# справа " + id.String() + ": конфлікт 2", "# основа: редакція 4", "змінено в нас після основи (0):", "наша -> їхня (0):",
			"не об'єднано", "вирішити: casevault case resolve"},
	}
	for lang, lines := range want {
		var b bytes.Buffer
		if err := writeConflictView(&b, lang, id, view); err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if !strings.Contains(b.String(), l) {
				t.Errorf("%s view lacks %q:\n%s", lang, l, b.String())
			}
		}
		if lang != "en" && strings.Contains(b.String(), "changed") {
			t.Errorf("%s view has English words:\n%s", lang, b.String())
		}
	}
}
