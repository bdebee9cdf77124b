package publish

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserLanguages opens the site published in Russian, Ukrainian and
// English (publish --lang ru,uk,en) in Chromium: the Russian pages read in
// Russian (labels, vocabularies, plural counts as the filter script
// updates them), the switcher leads to the same page in another language,
// and the CSP and no-network rule hold as on the English site.
// PUBLISH_SCREENSHOTS=testdata/screenshots keeps the screenshots.
func TestBrowserLanguages(t *testing.T) {
	set, err := Prepare(testOrg, fixtureSources(t), fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	set.Langs = []string{"ru", "uk", "en"}
	p, err := Build(set, "html", testPub(), testSign)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := p.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	root := "file://" + filepath.ToSlash(dir)
	b := startBrowser(t)
	b.viewport(1280, 900, false)

	b.open(root + "/index.html")
	contains(t, "chooser", b.text(), []string{"Русский: Политзаключённые", "Українська: Політв'язні", "English: Political prisoners"}, nil)

	b.open(root + "/ru/index.html")
	b.screenshot("index-ru-desktop")
	contains(t, "ru index", b.text(), []string{"Политзаключённые", "Публикует Test Defence Group.", "Поиск", "Статус", "4 дела",
		"Владимир Кара-Мурза", "имя не раскрывается", "Сообщила организация Crimea Rights Test", "Под стражей с",
		"Проверка не может поймать всё", "освобождён по обмену", "Русский", "Українська", "English"},
		[]string{"Political prisoners", "Search", "4 cases", "name withheld", "Anna", "Smirnova", "Kaliningrad"})
	if v := b.eval(`getComputedStyle(document.getElementById("filters")).display`); v == "none" {
		t.Error("the filter form is not shown: the inline script did not run (CSP hash?)")
	}
	// The status filter offers the statuses in Russian and filters by the
	// value of the case file.
	b.eval(`(() => { const s = document.querySelector("select[name=status]"); s.value = "exchanged"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	contains(t, "ru status=exchanged", b.text(), []string{"Владимир Кара-Мурза", "1 из 4 дел"}, []string{"Igor Baranov", "of 4"})
	b.eval(`(() => { document.querySelector("select[name=status]").value = ""; const q = document.querySelector("input[name=q]"); q.value = "квазимодо"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	contains(t, "ru q=квазимодо", b.text(), []string{"0 из 4 дел"}, []string{"Igor Baranov"})

	// A case page, from its link; then the same case in Ukrainian by the
	// switcher.
	b.open(root + "/ru/index.html")
	id := source("kara-murza", nil).PublicID
	b.eval(fmt.Sprintf(`document.querySelector("tr#%s a").click()`, id))
	b.waitLoaded("/ru/cases/" + id + ".html")
	b.screenshot("case-ru-desktop")
	contains(t, "ru case", b.text(), []string{"← Все дела", "Кратко о деле", "Обвинения", "Жестокое обращение", "Статус",
		"отказ в медицинской помощи", "одиночное заключение, угрозы", "Публичный ID " + id,
		"RU-CC 207.3(2): Публичное распространение заведомо ложной информации", "RU-CC 275: Государственная измена"},
		[]string{"Mistreatment", "denial-of-medical-care", "Polyneuropathy", "family@example.org"})
	b.eval(`document.querySelector("a[hreflang=uk]").click()`)
	b.waitLoaded("/uk/cases/" + id + ".html")
	contains(t, "uk case", b.text(), []string{"← Усі справи", "Жорстоке поводження", "відмова в медичній допомозі", "Владимир Кара-Мурза"}, nil)
	b.eval(`document.querySelector("a[hreflang=en]").click()`)
	b.waitLoaded("/en/cases/" + id + ".html")
	contains(t, "en case", b.text(), []string{"← All cases", "Mistreatment", "denial-of-medical-care"}, nil)

	// A phone: the Russian labels fit, nothing is wider than the screen.
	b.viewport(390, 844, true)
	b.open(root + "/ru/index.html?status=released")
	b.screenshot("index-ru-phone")
	contains(t, "ru phone", b.text(), []string{"Igor Baranov", "1 из 4 дел"}, []string{"Vladimir Kara-Murza"})
	for _, page := range []string{"/ru/index.html", "/uk/index.html", "/ru/cases/" + id + ".html"} {
		b.open(root + page)
		if w := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); w.(float64) > 0 {
			t.Errorf("%s is %v px wider than a 390 px phone screen", page, w)
		}
	}
	if p := b.problems(); len(p) > 0 {
		t.Errorf("the site made requests or logged errors:\n%s", strings.Join(p, "\n"))
	}
}
