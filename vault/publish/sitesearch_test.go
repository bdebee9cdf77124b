package publish

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

var (
	rowWords  = regexp.MustCompile(`<tr id="(p[0-9a-f]+)"[^>]* data-words="([^"]*)"`)
	hiddenRE  = regexp.MustCompile(`(?s)<(style|script|dt|th|h2|footer|nav)\b.*?</(style|script|dt|th|h2|footer|nav)>|<p class="muted">.*?</p>`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	mainRE    = regexp.MustCompile(`(?s)<main>.*</main>`)
	hyphenMap = func(r rune) rune {
		if isHyphen(r) {
			return ' '
		}
		return r
	}
)

// indexWords returns the data-words of each row of a published index.
func indexWords(t *testing.T, index []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, m := range rowWords.FindAllSubmatch(index, -1) {
		out[string(m[1])] = strings.Fields(html.UnescapeString(string(m[2])))
	}
	if len(out) == 0 {
		t.Fatal("no rows with data-words in index.html")
	}
	return out
}

// pageValues is the text of a case page's values: its <main> without
// labels, headings and notes.
func pageValues(page []byte) string {
	s := mainRE.FindString(string(page))
	s = hiddenRE.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, "Reported by ", " ")
	s = strings.ReplaceAll(s, ">ongoing<", "> <")
	return html.UnescapeString(tagRE.ReplaceAllString(s, " "))
}

func skelSet(texts ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range texts {
		for _, v := range []string{s, strings.Map(hyphenMap, s)} {
			for _, tk := range tokenize(v) {
				m[tk.skel] = true
			}
		}
	}
	return m
}

// TestSearchWordsShown: what the search box matches is what the case's
// page shows. Every word of a row's data-words is a word of its case
// page, and every word of the page's values (not its labels) is one of
// data-words.
func TestSearchWordsShown(t *testing.T) {
	p := build(t, fixtureSources(t), "html", fixtureOptions)
	rows := indexWords(t, p.Files["index.html"])
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for id, words := range rows {
		page, ok := p.Files["cases/"+id+".html"]
		if !ok {
			t.Fatalf("no page for row %s", id)
		}
		shown := skelSet(pageValues(page))
		searchable := map[string]bool{}
		for _, w := range words {
			if w == fieldSep {
				continue
			}
			searchable[w] = true
			if !shown[w] {
				t.Errorf("%s: %q is searchable but not on the case page", id, w)
			}
		}
		for w := range shown {
			if !searchable[w] {
				t.Errorf("%s: %q is on the case page but not searchable", id, w)
			}
		}
	}
}

// TestSearchWordsNeverSecret puts a random word into the case's fields
// that are not public (a lawyer's name, an address, a detention note, the
// mistreatment's perpetrator) and checks that the published index holds it
// nowhere, in data-words or elsewhere, in any spelling.
func TestSearchWordsNeverSecret(t *testing.T) {
	base := loadCase(t, "kara-murza")
	paths := []string{"person.contacts[1].name", "person.contacts[1].address", "detention[0].notes", "notes"}
	letters := []rune("abdefgiklmnoprstuvzабвгдежзиклмнопрстуфхцчшщыэюяёй")
	baseline := map[string]bool{}
	for _, words := range indexWords(t, build(t, fixtureSources(t), "html", fixtureOptions).Files["index.html"]) {
		for _, w := range words {
			baseline[w] = true
		}
	}
	rapid.Check(t, func(rt *rapid.T) {
		secret := string(rapid.SliceOfN(rapid.SampledFrom(letters), 6, 10).Draw(rt, "secret"))
		path := rapid.SampledFrom(paths).Draw(rt, "path")
		c := setField(t, base, path, "Zq "+secret)
		var sources []Source
		for _, s := range fixtureSources(t) {
			if s.CaseID == "c-kara-murza" {
				s.Case = c
			}
			sources = append(sources, s)
		}
		p := build(t, sources, "html", fixtureOptions)
		index := p.Files["index.html"]
		skel := skeleton(secret)
		if baseline[skel] {
			rt.Skip("the secret folds to a word of the published cases")
		}
		for id, words := range indexWords(t, index) {
			for _, w := range words {
				if w == skel {
					rt.Fatalf("row %s: data-words hold %q, the skeleton of %q from %s", id, w, secret, path)
				}
			}
		}
		if strings.Contains(strings.ToLower(string(index)), secret) {
			rt.Fatalf("index.html holds %q from %s", secret, path)
		}
	})
}

// TestSearchWordsScanClean runs the leak scan, with the needles Prepare
// makes from every fixture (non-public values, withheld names, personal
// data patterns), over each published record's search words, as if they
// were one more output field: nothing is found. The words are folded
// forms of values the scan has passed; a secret in folded form would be
// found (the control).
func TestSearchWordsScanClean(t *testing.T) {
	sources := fixtureSources(t)
	set, err := Prepare(testOrg, sources, fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	sc := newScanner()
	byID := map[string]Source{}
	for _, s := range sources {
		sc.addSecrets(s)
		byID[s.CaseID] = s
	}
	for _, r := range set.Records {
		sc.addPublished(r, byID[r.caseID])
	}
	clean := cleanSet(set).Records // what renderHTML renders
	for i, r := range set.Records {
		words := searchWords(clean[i])
		for _, sp := range sc.scan(r, "search words", words) {
			t.Errorf("%s: the scan flags the search words: %v", r.ID, sp.hit)
		}
		// Control: the lawyer's name of the Kara-Murza case, folded.
		if spans := sc.scan(r, "search words", words+" "+fieldSep+" "+skeleton("Вадим")+" "+skeleton("Прохоров")); len(spans) == 0 {
			t.Errorf("%s: the scan does not flag a secret name in folded form", r.ID)
		}
	}
}
