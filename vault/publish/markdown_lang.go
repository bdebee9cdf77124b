package publish

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/casevault/casevault/vault/i18n"
)

// renderMarkdownLangs returns the Markdown publication of set in each
// language of set.Langs: cases.md for one language (English when none),
// LANG/cases.md for each of several, as the HTML site does. JSON and CSV
// are data for programs: their keys, column names and vocabulary values
// stay English (the contract, like the case file's field names), whatever
// --lang says.
func renderMarkdownLangs(set *Set) map[string][]byte {
	langs := set.Langs
	if len(langs) == 0 {
		langs = []string{i18n.Default}
	}
	if len(langs) == 1 {
		return map[string][]byte{"cases.md": renderMarkdownIn(set, langs[0])}
	}
	files := map[string][]byte{}
	for _, l := range langs {
		files[l+"/cases.md"] = renderMarkdownIn(set, l)
	}
	return files
}

// vocabIn is value of a controlled vocabulary in lang (the catalogue's
// vocab.VOCAB.VALUE), the value itself where there is none.
func vocabIn(lang, vocab, value string) string {
	if value == "" || lang == i18n.Default {
		return value
	}
	if id := "vocab." + vocab + "." + value; i18n.Has(lang, id) {
		return i18n.T(lang, id, nil)
	}
	return value
}

// vocabsIn is vocabIn of each value.
func vocabsIn(lang, vocab string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = vocabIn(lang, vocab, v)
	}
	return out
}

// renderMarkdownIn is cases.md in lang: its labels from the catalogue
// (ui.pub.… in ui.LANG.toml), vocabulary values, federal districts and
// article titles translated; text from the cases as written. In English
// it is the Markdown casevault always wrote.
func renderMarkdownIn(set *Set, lang string) []byte {
	t := func(id string) string { return i18n.T(lang, "ui.pub."+id, nil) }
	var b bytes.Buffer
	count := fmt.Sprintf("%d cases.", len(set.Records))
	if lang != i18n.Default {
		count = i18n.N(lang, "site.count", len(set.Records), nil) + "."
	}
	fmt.Fprintf(&b, "# %s\n\n%s %s\n\n%s\n", t("title"), i18n.T(lang, "ui.pub.publishedBy", map[string]any{"Org": mdText(set.Org)}), count,
		mdParagraph(i18n.T(lang, "site.scannerNote", nil)))
	for _, r := range set.Records {
		fmt.Fprintf(&b, "\n## %s\n\n", mdParagraph(r.Name))
		item := func(label, v string) {
			if v != "" {
				fmt.Fprintf(&b, "- %s: %s\n", t(label), mdText(v))
			}
		}
		item("publicID", r.ID)
		item("nameNative", r.NameNative)
		if r.Anonymous {
			item("name", t("withheld"))
		}
		if r.imported {
			item("reportedBy", r.Origin)
		}
		item("status", vocabIn(lang, "status", r.Status))
		if r.BirthYear != 0 {
			item("born", strconv.Itoa(r.BirthYear))
		}
		item("gender", vocabIn(lang, "gender", r.Gender))
		item("citizenship", strings.Join(r.Citizenship, ", "))
		item("region", r.Region)
		item("federalDistrict", vocabIn(lang, "district", r.FederalDistrict))
		item("occupation", r.Occupation)
		item("articles", strings.Join(r.Articles, ", "))
		item("inCustodySince", r.FirstDetentionDate)
		item("facility", r.Facility)
		item("sentence", r.Sentence)
		item("court", r.Court)
		item("judge", r.Judge)
		item("verdict", r.VerdictDate)
		item("appeal", r.Appeal)
		item("nextHearing", r.NextHearing)
		for _, c := range r.Charges {
			v := c.Article
			if title := articleTitle(lang, c.Article, c.Title); title != "" {
				v += ": " + title
			}
			if c.Date != "" {
				v += " (" + c.Date + ")"
			}
			item("charge", v)
		}
		for _, d := range r.Detention {
			to := d.To
			if to == "" {
				to = t("ongoing")
			}
			v := strings.TrimSpace(vocabIn(lang, "detention", d.Kind) + " " + d.Facility)
			v += ", " + i18n.T(lang, "ui.pub.period", map[string]any{"From": d.From, "To": to})
			if len(d.Conditions) > 0 {
				v += " (" + strings.Join(vocabsIn(lang, "condition", d.Conditions), ", ") + ")"
			}
			item("detention", v)
		}
		for _, m := range r.Mistreatment {
			v := strings.Join(vocabsIn(lang, "mistreatment", m.Kind), ", ")
			if m.Date != "" {
				v += " (" + m.Date + ")"
			}
			item("mistreatment", strings.TrimSpace(v))
		}
		for _, p := range paragraphs(r.Summary) {
			fmt.Fprintf(&b, "\n%s\n", mdParagraph(p))
		}
	}
	return b.Bytes()
}
