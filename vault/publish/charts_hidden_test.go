package publish

import (
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// chartCase is a published case in region, with the same status, article
// and dates as every other, so that only the region chart tells cases
// apart.
func chartCase(t *testing.T, region string) *schema.Case {
	c := setField(t, loadCase(t, "crowd-1"), "publication.consent", "full")
	return setField(t, c, "person.region", region)
}

// TestChartsHideOneFromTwo: two publications that differ only in which of
// two regions has one case and which has two give the same page of charts,
// byte for byte (no count, width, step or order tells them apart), in
// every language.
func TestChartsHideOneFromTwo(t *testing.T) {
	page := func(omsk, tomsk int, lang string) string {
		var src []Source
		add := func(region string, n int) {
			for i := range n {
				src = append(src, source(region+string(rune('a'+i)), chartCase(t, region)))
			}
		}
		add("Omsk region", omsk)
		add("Tomsk region", tomsk)
		add("Novosibirsk region", 4)
		set, err := Prepare(testOrg, src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := renderCharts(set, siteLang{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, lang := range []string{"en", "ru"} {
		a, b := page(1, 2, lang), page(2, 1, lang)
		if a != b {
			t.Errorf("%s: one case in Omsk and two in Tomsk reads differently from the reverse", lang)
		}
		if !strings.Contains(a, "Omsk region") || strings.Contains(a, `data-count="1"`) || strings.Contains(a, `data-count="2"`) {
			t.Errorf("%s: the page names no Omsk or carries a small count", lang)
		}
	}
}

// TestChartsInLanguage: on the Russian and Ukrainian pages of charts the
// opening sentence, the status and district labels of the bars and the
// status named in a chart's description are in that language.
func TestChartsInLanguage(t *testing.T) {
	var src []Source
	for i := range 4 {
		src = append(src, source("c"+string(rune('a'+i)), chartCase(t, "Omsk region")))
	}
	set, err := Prepare(testOrg, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, status, district, count string }{
		{"ru", "под стражей до суда (СИЗО)", "Сибирский федеральный округ", "4 дела опубликовала организация"},
		{"uk", vocabIn("uk", "status", "pretrial"), vocabIn("uk", "district", "Siberian Federal District"), "4 справи опублікувала організація"},
	} {
		b, err := renderCharts(set, siteLang{Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		if tc.status == "pretrial" || tc.district == "Siberian Federal District" {
			t.Fatalf("%s: the catalogue has no words for the status or district", tc.lang)
		}
		for _, want := range []string{tc.count, ">" + tc.status + "<", ">" + tc.district + "<"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", tc.lang, want)
			}
		}
		for _, english := range []string{"cases published by", ">pretrial<", "Siberian Federal District<", "with 4", " pretrial "} {
			if strings.Contains(page, english) {
				t.Errorf("%s: the page still says %q", tc.lang, english)
			}
		}
	}
}
