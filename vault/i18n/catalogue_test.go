package i18n

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// pluralForms are the CLDR cardinal plural categories of each language
// (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html)
// for whole numbers and fractions: English one, other; Russian and
// Ukrainian one (1, 21), few (2–4, 22), many (5–20, 11), other (1.5).
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"ru": {"few", "many", "one", "other"},
	"uk": {"few", "many", "one", "other"},
}

// entries reads the catalogue files of lang as a translator wrote them:
// each ID with its forms ("other" for a message that does not count).
func entries(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, name := range Files(lang) {
		b, err := catalogueFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if _, err := toml.Decode(string(b), &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range raw {
			if _, dup := out[id]; dup {
				t.Errorf("%s: %s is defined twice", name, id)
			}
			switch v := v.(type) {
			case string:
				out[id] = map[string]string{"other": v}
			case map[string]any:
				forms := map[string]string{}
				for f, s := range v {
					if s, ok := s.(string); ok && f != "description" && f != "hash" {
						forms[f] = s
					}
				}
				out[id] = forms
			default:
				t.Errorf("%s: %s is neither a text nor a table of plural forms", name, id)
			}
		}
	}
	return out
}

var placeholderRe = regexp.MustCompile(`\{\{[^}]*\}\}`)

func placeholdersOf(s string) []string {
	set := map[string]bool{}
	for _, p := range placeholderRe.FindAllString(s, -1) {
		set[strings.Join(strings.Fields(p), "")] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func forms(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for f := range m {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// TestCatalogueComplete fails when a message of the English catalogue has
// no Russian or Ukrainian translation, when a translation drops or adds a
// placeholder, when a message that counts lacks a plural form of a
// language's CLDR categories, and when a translation names an ID English
// does not have (left over after the English was removed).
func TestCatalogueComplete(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	en := entries(t, "en")
	if len(en) < 300 {
		t.Fatalf("only %d English messages: the catalogue was not read", len(en))
	}
	for _, lang := range Languages {
		cat := entries(t, lang)
		var missing []string
		for id, enForms := range en {
			tr, ok := cat[id]
			if !ok {
				missing = append(missing, id)
				continue
			}
			want := placeholdersOf(strings.Join(mapValues(enForms), " "))
			plural := len(enForms) > 1
			if plural {
				if got := forms(tr); !reflect.DeepEqual(got, pluralForms[lang]) {
					t.Errorf("%s: %s has plural forms %v, CLDR needs %v", "active."+lang+".toml", id, got, pluralForms[lang])
				}
			} else if got := forms(tr); !reflect.DeepEqual(got, []string{"other"}) {
				t.Errorf("%s: %s has forms %v but the English does not count", "active."+lang+".toml", id, got)
			}
			for f, s := range tr {
				got := placeholdersOf(s)
				if plural {
					// The Count may be left out of a form (such as "one")
					// that names its number in words.
					got = placeholdersOf(s + " {{.Count}}")
					want = placeholdersOf(strings.Join(mapValues(enForms), " ") + " {{.Count}}")
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s (%s): placeholders %v, the English has %v\n  %s", "active."+lang+".toml", id, f, got, want, s)
				}
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s (%s) is empty", "active."+lang+".toml", id, f)
				}
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%d messages have no translation in %s (or help.%s.toml):\n  %s", len(missing), "active."+lang+".toml", lang, strings.Join(missing, "\n  "))
		}
		for id := range cat {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %s is not an English message (removed or misspelt?)", lang, id)
			}
		}
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// TestPluralForms renders counting messages through go-i18n for numbers
// of each CLDR category.
func TestPluralForms(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 case"}, {"en", 2, "2 cases"}, {"en", 0, "0 cases"},
		{"ru", 1, "1 дело"}, {"ru", 2, "2 дела"}, {"ru", 5, "5 дел"}, {"ru", 11, "11 дел"}, {"ru", 21, "21 дело"}, {"ru", 22, "22 дела"}, {"ru", 0, "0 дел"},
		{"uk", 1, "1 справа"}, {"uk", 2, "2 справи"}, {"uk", 5, "5 справ"}, {"uk", 11, "11 справ"}, {"uk", 21, "21 справа"}, {"uk", 24, "24 справи"},
	} {
		if got := N(tc.lang, "count.cases", tc.n, nil); got != tc.want {
			t.Errorf("N(%s, count.cases, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// TestTranslateText: texts made in English by code are found again and
// said in another language, with their data; unknown text is left alone.
func TestTranslateText(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"ru", "upgrade casevault to open this vault", "обновите casevault, чтобы открыть это хранилище"},
		{"uk", "case c7k2m9 is now at revision 3", "справа c7k2m9 тепер у редакції 3"},
		{"ru", "exported 5 cases", "экспортировано 5 дел"},
		{"uk", "exported 1 cases", "експортовано 1 справу"},
		{"ru", "something nobody catalogued", "something nobody catalogued"},
		{"en", "exported 5 cases", "exported 5 cases"},
	} {
		if got := TranslateText(tc.lang, tc.in); got != tc.want {
			t.Errorf("TranslateText(%s, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ru_RU.UTF-8": "ru", "uk_UA.UTF-8": "uk", "uk-UA": "uk", "en_GB": "en", "C": "en", "POSIX": "en",
		"C.UTF-8": "en", "de_DE.UTF-8": "", "": "", "ru": "ru", "RU": "ru", "ua": "uk", "sr@latin": "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCatalogueCounts logs how many messages each language has (the
// figure of the release note): go test ./vault/i18n -run Counts -v
func TestCatalogueCounts(t *testing.T) {
	for _, lang := range Languages {
		n, forms := 0, 0
		for _, f := range entries(t, lang) {
			n++
			forms += len(f)
		}
		t.Logf("%s: %d messages, %d texts counting each plural form", lang, n, forms)
	}
}
