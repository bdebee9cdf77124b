package publish

import (
	"html"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// TestSiteNotesCatalogued: the notes the site shows in English are, word
// for word, the English of the catalogue, so that their translations are
// of the current text.
func TestSiteNotesCatalogued(t *testing.T) {
	if got := i18n.T("en", "site.scannerNote", nil); got != ScannerNote {
		t.Errorf("site.scannerNote in active.en.toml differs from ScannerNote:\n%s\n%s", got, ScannerNote)
	}
	for _, k := range []int{2, 3, 5} {
		if got := i18n.N("en", "site.anonymityNote", k, nil); got != AnonymityNote(k) {
			t.Errorf("site.anonymityNote(%d) in active.en.toml differs from AnonymityNote:\n%s\n%s", k, got, AnonymityNote(k))
		}
	}
	if ru := scannerNoteIn("ru"); ru == ScannerNote || !strings.Contains(ru, "casevault") {
		t.Errorf("Russian scanner note: %q", ru)
	}
	for _, d := range federalDistrictNames() {
		for _, lang := range i18n.Languages[1:] {
			if !i18n.Has(lang, "vocab.district."+d) {
				t.Errorf("federal district %q has no %s name in the catalogue", d, lang)
			}
		}
	}
}

// TestRenderLanguages: a publication in several languages holds a copy of
// the site per language under its own directory and a chooser; in one
// language, the site in it at the top; English without languages is the
// English site as before.
func TestRenderLanguages(t *testing.T) {
	set, err := Prepare(testOrg, fixtureSources(t), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	en, err := Render(set, "html")
	if err != nil {
		t.Fatal(err)
	}
	set.Langs = []string{"en"}
	en2, err := Render(set, "html")
	if err != nil {
		t.Fatal(err)
	}
	if string(en["index.html"]) != string(en2["index.html"]) {
		t.Error("--lang en differs from the default English site")
	}
	set.Langs = []string{"ru", "uk", "en"}
	all, err := Render(set, "html")
	if err != nil {
		t.Fatal(err)
	}
	for name := range en {
		if name == "README.txt" {
			continue
		}
		for _, l := range set.Langs {
			if _, ok := all[l+"/"+name]; !ok {
				t.Errorf("%s/%s missing", l, name)
			}
		}
	}
	if _, ok := all["index.html"]; !ok {
		t.Error("no language chooser index.html")
	}
	if !strings.Contains(string(all["ru/index.html"]), `<html lang="ru">`) || !strings.Contains(string(all["ru/index.html"]), `href="../uk/index.html"`) {
		t.Errorf("ru/index.html has no Russian lang or no switcher")
	}
	// The charts page speaks each site's language.
	for l, title := range map[string]string{"ru": "Заключённые по статусу", "uk": "В'язні за статусом", "en": "Prisoners by status"} {
		if page := string(all[l+"/charts.html"]); !strings.Contains(page, html.EscapeString(title)) {
			t.Errorf("%s/charts.html lacks the chart title %q", l, title)
		}
	}
	if strings.Contains(string(all["ru/charts.html"]), "Prisoners by") || strings.Contains(string(all["uk/charts.html"]), "Prisoners by") {
		t.Error("a translated charts page has English chart titles")
	}
	// The English copy differs from the single English site only by its
	// switcher.
	if strings.Contains(string(en["index.html"]), "hreflang") {
		t.Error("the English site in one language has a language switcher")
	}
}

func federalDistrictNames() []string {
	var out []string
	for _, d := range federalDistricts {
		out = append(out, d.name)
	}
	return out
}

func TestArticleTitle(t *testing.T) {
	for _, tc := range []struct{ lang, article, title, want string }{
		{"ru", "RU-CC 207.3(2)", "Fakes about the army", "Публичное распространение заведомо ложной информации об использовании Вооружённых сил РФ"},
		{"uk", "RU-CAO 20.3.3", "", "Публічні дії, спрямовані на дискредитацію використання Збройних сил РФ"},
		{"ru", "RU-CC 105", "Murder", "Murder"},
		{"en", "RU-CC 207.3(2)", "Fakes about the army", "Fakes about the army"},
		{"en", "RU-CC 275", "", ""},
	} {
		if got := articleTitle(tc.lang, tc.article, tc.title); got != tc.want {
			t.Errorf("articleTitle(%s, %s, %q) = %q, want %q", tc.lang, tc.article, tc.title, got, tc.want)
		}
	}
}
