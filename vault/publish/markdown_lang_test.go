package publish

import (
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// TestMarkdownLanguages publishes the fixture cases as Markdown in
// Russian, Ukrainian and English at once: each language its own
// LANG/cases.md with labels, statuses, kinds and federal districts in that
// language and the cases' own text as written; English is the golden
// Markdown (TestGolden), and JSON stays English whatever the languages.
func TestMarkdownLanguages(t *testing.T) {
	set, err := Prepare(testOrg, fixtureSources(t), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	set.Langs = []string{"ru", "uk", "en"}
	p, err := Build(set, "md", testPub(), testSign)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ru/cases.md", "uk/cases.md", "en/cases.md"} {
		if len(p.Files[name]) == 0 {
			t.Fatalf("no %s in %v", name, p.Paths())
		}
	}
	if _, ok := p.Files["cases.md"]; ok {
		t.Error("cases.md at the top of a publication in several languages")
	}
	want := map[string][]string{
		"ru": {"# Политзаключённые\n", "- Публичный ID: ", "- Статус: освобождён по обмену", "- Лишение свободы: ", "по настоящее время", "- Жестокое обращение: ",
			"- Федеральный округ: "},
		"uk": {"# Політв'язні\n", "- Публічний ID: ", "- Статус: звільнений під час обміну", "- Позбавлення волі: ", "- Жорстоке поводження: "},
		"en": {"# Political prisoners\n", "- Public ID: ", "- Status: exchanged", "- Detention: ", " to ", "- Mistreatment: "},
	}
	for lang, parts := range want {
		md := string(p.Files[lang+"/cases.md"])
		for _, s := range parts {
			if !strings.Contains(md, s) {
				t.Errorf("%s/cases.md lacks %q", lang, s)
			}
		}
		if lang == "en" {
			continue
		}
		for _, en := range []string{"Public ID", "Status:", "Detention:", "Mistreatment:", "ongoing", "exchanged", "Federal District"} {
			if strings.Contains(md, en) {
				t.Errorf("%s/cases.md has the English %q", lang, en)
			}
		}
		// A translated Markdown is still escaped: every label and value
		// passes mdText.
		if strings.Contains(md, "<script") {
			t.Errorf("%s/cases.md has markup", lang)
		}
	}
	// English in one language equals the English of the golden file.
	one, err := Prepare(testOrg, fixtureSources(t), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	one.Langs = []string{"en"}
	pe, err := Build(one, "md", testPub(), testSign)
	if err != nil {
		t.Fatal(err)
	}
	if string(pe.Files["cases.md"]) != string(p.Files["en/cases.md"]) {
		t.Error("en/cases.md differs from the English cases.md")
	}
	// JSON is data: keys and vocabulary values in English, one file.
	pj, err := Build(set, "json", testPub(), testSign)
	if err != nil {
		t.Fatal(err)
	}
	js := string(pj.Files["cases.json"])
	if !strings.Contains(js, `"status": "exchanged"`) && !strings.Contains(js, `"status":"exchanged"`) {
		t.Errorf("cases.json lost its English status: %.300s", js)
	}
	if strings.Contains(js, i18n.T("ru", "vocab.status.exchanged", nil)) {
		t.Error("cases.json has a Russian value")
	}
}
