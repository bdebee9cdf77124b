package publish

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// publishFixtureSite writes the fixtures' HTML publication and returns the
// address of its index.
func publishFixtureSite(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := build(t, fixtureSources(t), "html", fixtureOptions).WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(dir) + "/index.html"
}

// TestBrowserFold evaluates the page's own fold (filter.js with the tables
// in the page) on the corpus of names and texts, in Chromium, and compares
// every word with Go's: the skeleton and the stem of each word of
// tokenize, which the leak scanner and data-words use.
func TestBrowserFold(t *testing.T) {
	index := publishFixtureSite(t)
	b := startBrowser(t)
	b.open(index)
	corpus := foldCorpus()
	if len(corpus) < 500 {
		t.Fatalf("corpus has %d texts, want several hundred", len(corpus))
	}
	raw, _ := json.Marshal(corpus)
	res, _ := b.eval(fmt.Sprintf(`JSON.stringify(%s.map(w => casevaultFold.words(w).map(t => [t.skel, t.stem])))`, raw)).(string)
	var got [][][2]string
	if err := json.Unmarshal([]byte(res), &got); err != nil || len(got) != len(corpus) {
		t.Fatalf("page's fold returned %d results (%v): %.200s", len(got), err, res)
	}
	bad, words := 0, 0
	for i, w := range corpus {
		var want [][2]string
		for _, tk := range tokenize(w) {
			want = append(want, [2]string{tk.skel, tk.stem})
		}
		words += len(want)
		if fmt.Sprint(got[i]) != fmt.Sprint(want) {
			bad++
			if bad <= 20 {
				t.Errorf("%q: page folds to %v, Go to %v", w, got[i], want)
			}
		}
	}
	t.Logf("%d texts, %d words: %d texts fold differently in the page", len(corpus), words, bad)
	if p := b.problems(); len(p) > 0 {
		t.Errorf("the site made requests or logged errors:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserSearch types queries into the site's search box and gives
// them in the address (?q=), as a reader would, and checks which cases the
// reader sees.
func TestBrowserSearch(t *testing.T) {
	index := publishFixtureSite(t)
	b := startBrowser(t)
	b.viewport(1280, 900, false)
	b.open(index)
	const (
		kara    = "Vladimir Kara-Murza"
		baranov = "Igor Baranov"
		sadykov = "Lev Sadykov"
		anon    = "Anonymous #"
	)
	all := []string{kara, baranov, sadykov, anon}
	for _, c := range []struct {
		q    string
		want []string // the cases shown; none: "0 of 4 cases"
	}{
		// Transliteration, both ways, any case (the facility "IK-6, Omsk
		// region"; the anonymous case's Omsk is withheld).
		{"омск", []string{kara}}, {"OMSK", []string{kara}}, {"Омской", []string{kara}},
		{"садыков", []string{sadykov}}, {"SADYKOV", []string{sadykov}}, {"Sadikov", []string{sadykov}},
		{"подопригоров", []string{kara}}, {"Podoprigorow", []string{kara}}, {"Подопригоровой", []string{kara}}, {"Сергей", []string{kara}},
		// ё/е, й/y/i.
		{"лёв", []string{sadykov}}, {"Sergey", []string{kara}}, {"Sergej", []string{kara}},
		// Word forms: dative, instrumental, genitive, the feminine.
		{"Садыкову", []string{sadykov}}, {"Барановым", []string{baranov}}, {"Кара-Мурзы", []string{kara}},
		{"Владимиру", []string{kara}}, {"Баранова", []string{baranov}},
		// Prefixes, also ending inside a spelling that folds (leaflet: leaflets).
		{"бар", []string{baranov}}, {"sady", []string{sadykov}}, {"кара-мур", []string{kara}},
		{"Crime", []string{sadykov}}, {"leaflet", []string{baranov}}, {"Mosc", []string{kara}},
		{"Murz", []string{kara}}, {"Kara Murza", []string{kara}}, {"Karamurza", []string{kara}},
		// Several words: all of them.
		{"crimean tatar", []string{sadykov}}, {"strict colony", []string{kara, sadykov}}, {"strict пенсионер", nil},
		// Numbers keep their order: 207.3 is not 20.3.
		{"207.3", []string{kara, anon}}, {"20.3", []string{baranov}}, {"ru-cc 275", []string{kara}},
		{"IK-6", []string{kara}}, {"2024", []string{kara, baranov}},
		// The public ID, whole or its start.
		{source("partner", nil).PublicID, []string{sadykov}}, {strings.ToUpper(source("partner", nil).PublicID[:7]), []string{sadykov}},
		// Words of no published case, and values that are not public: a
		// case without consent (Vera Kuznetsova, Novosibirsk), a lawyer and
		// a relative (Прохоров, Евгения), a detention note, the anonymous
		// case's name, region, occupation and facility.
		{"kuznetsova", nil}, {"Кузнецова", nil}, {"Novosibirsk", nil}, {"Прохоров", nil}, {"Евгения", nil},
		{"Polyneuropathy", nil}, {"Smirnova", nil}, {"Смирновой", nil}, {"nurse", nil}, {"SIZO-1", nil},
		{"Козлов", nil}, {"квазимодо", nil}, {"Ткаченко", nil}, {"xylophone", nil},
	} {
		check := func(how, text string) {
			t.Helper()
			if len(c.want) == 0 {
				contains(t, how, text, []string{"0 of 4 cases"}, all)
				return
			}
			var hidden []string
			for _, n := range all {
				if !strings.Contains(strings.Join(c.want, "\n"), n) {
					hidden = append(hidden, n)
				}
			}
			count := fmt.Sprintf("%d of 4 cases", len(c.want))
			if len(c.want) == 4 {
				count = "4 cases"
			}
			contains(t, how, text, append([]string{count}, c.want...), hidden)
		}
		b.eval(fmt.Sprintf(`(() => { const q = document.querySelector("input[name=q]"); q.value = %q; q.dispatchEvent(new Event("input", {bubbles: true})); })()`, c.q))
		check("typed "+c.q, b.text())
	}

	// In the address, applied on load.
	for _, c := range []struct {
		q    string
		want string
	}{{"омск", kara}, {"kuznetsova", ""}, {"Зайцеву", ""}, {"садыкову", sadykov}} {
		b.open(index + "?q=" + url.QueryEscape(c.q))
		if c.want == "" {
			contains(t, "?q="+c.q, b.text(), []string{"0 of 4 cases"}, all)
			continue
		}
		contains(t, "?q="+c.q, b.text(), []string{c.want, "1 of 4 cases"}, nil)
		if got := b.eval(`document.querySelector("input[name=q]").value`); got != c.q {
			t.Errorf("?q=%s: the search box shows %q", c.q, got)
		}
	}
	b.open(index + "?q=" + url.QueryEscape("омск"))
	b.screenshot("index-search-omsk")

	if p := b.problems(); len(p) > 0 {
		t.Errorf("the site made requests or logged errors:\n%s", strings.Join(p, "\n"))
	}
}
