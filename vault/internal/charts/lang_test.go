package charts

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

var verbRe = regexp.MustCompile(`%(\[\d+\])?[sdqv]`)

func verbs(s string) []string {
	v := verbRe.FindAllString(s, -1)
	sort.Strings(v)
	return v
}

// TestTextCatalogued fails when a text of the charts is not in the
// catalogue as English has it, or lacks a translation, or a translation
// drops or adds a value.
func TestTextCatalogued(t *testing.T) {
	en := reflect.ValueOf(English)
	fields := TextFields()
	if len(fields) < 20 {
		t.Fatalf("only %d text fields", len(fields))
	}
	for _, name := range fields {
		id := "charts." + name
		want := en.FieldByName(name).String()
		if got := i18n.T(i18n.Default, id, nil); got != want {
			t.Errorf("%s: active.en.toml has %q, charts.English %q", id, got, want)
		}
		for _, l := range i18n.Languages[1:] {
			if !i18n.Has(l, id) {
				t.Errorf("%s has no translation in active.%s.toml", id, l)
				continue
			}
			tr := reflect.ValueOf(For(l)).FieldByName(name).String()
			if tr == want {
				t.Errorf("%s in %s is the English %q", id, l, tr)
			}
			if !reflect.DeepEqual(verbs(tr), verbs(want)) {
				t.Errorf("%s in %s: values %v, the English has %v", id, l, verbs(tr), verbs(want))
			}
		}
	}
}

func TestForLanguage(t *testing.T) {
	if !reflect.DeepEqual(For("en"), English) || !reflect.DeepEqual(For(""), English) || !reflect.DeepEqual(For("de"), English) {
		t.Error("For of English, no language or an unknown one is not charts.English")
	}
	if got := For("ru").Status; got != "Заключённые по статусу" {
		t.Errorf("For(ru).Status = %q", got)
	}
	if got := For("uk").CasesCol; got != "Справи" {
		t.Errorf("For(uk).CasesCol = %q", got)
	}
	c := []Chart{{ID: "chart-status", Title: For("ru").Status, LabelCol: For("ru").StatusCol, Bars: Bars([]string{"sentenced"}, []int{7}, 0, For("ru").None)}}
	page := string(Page("x", "y", c, For("ru")))
	for _, want := range []string{`<html lang="ru">`, "Столбчатая диаграмма: Заключённые по статусу, столбцов: 1. Наибольший — sentenced: 7.", "Дела"} {
		if !strings.Contains(page, want) {
			t.Errorf("Russian page lacks %q", want)
		}
	}
	if en := string(Page("x", "y", c, English)); !strings.Contains(en, `<html lang="en">`) {
		t.Error("English page lost lang=en")
	}
}
