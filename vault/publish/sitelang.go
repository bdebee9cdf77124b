package publish

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strings"

	"github.com/casevault/casevault/vault/i18n"
)

// A siteLang is the language one copy of the HTML site is written in, and
// where the other languages' copies are (publish --lang ru,uk,en).
type siteLang struct {
	Lang string
	// Others are the other languages of a publication in several; empty
	// for a site in one language (no switcher).
	All []string
	// Prefix is the directory of this language's copy in the
	// publication ("" or "ru/").
	Prefix string
}

// langTemplates parses the page templates with the functions that say
// their texts in l.Lang:
//
//	t ID              a message of the catalogue
//	tn ID COUNT ARGS  a message that counts (ARGS: name, value, ...)
//	tf ID ARGS        a message with placeholders
//	v VOCAB VALUE     a value of a controlled vocabulary (status,
//	                  detention, condition, mistreatment, gender), itself
//	                  when the catalogue has no translation
func langTemplates(lang string) *template.Template {
	data := func(args []any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				m[k] = args[i+1]
			}
		}
		return m
	}
	return template.Must(template.New("").Funcs(template.FuncMap{
		"t":  func(id string) string { return i18n.T(lang, id, nil) },
		"tf": func(id string, args ...any) string { return i18n.T(lang, id, data(args)) },
		"tn": func(id string, n int, args ...any) string { return i18n.N(lang, id, n, data(args)) },
		"v": func(vocab, value string) string {
			if id := "vocab." + vocab + "." + value; i18n.Has(lang, id) {
				return i18n.T(lang, id, nil)
			}
			return value
		},
		"title": func(article, title string) string { return articleTitle(lang, article, title) },
		"join":  strings.Join,
	}).ParseFS(assets, "assets/*.html.tmpl"))
}

// articleTitle is the title shown for a charge under article (such as
// "RU-CC 207.3(2)"): on a site in Russian or Ukrainian the catalogue's
// title of the article (its part left out) where the catalogue has one,
// else title, the case file's own words; in English always title.
func articleTitle(lang, article, title string) string {
	if lang == i18n.Default {
		return title
	}
	base, _, _ := strings.Cut(article, "(")
	if id := "article." + strings.TrimSpace(base); i18n.Has(lang, id) {
		return i18n.T(lang, id, nil)
	}
	return title
}

// switcher is the list of links to the other language copies of a page at
// path (such as "index.html" or "cases/ID.html") from a page of l; nil for
// a site in one language.
func (l siteLang) switcher(path string) []map[string]any {
	if len(l.All) < 2 {
		return nil
	}
	up := strings.Repeat("../", strings.Count(path, "/")+1)
	var out []map[string]any
	for _, other := range l.All {
		out = append(out, map[string]any{
			"Lang": other, "Name": i18n.T(other, "lang."+other, nil), "Current": other == l.Lang,
			"Href": up + other + "/" + path,
		})
	}
	return out
}

// countForms are the plural forms of a count of cases (site.count: "N
// cases", site.countOf: "M of N cases"), for the filter script to say it
// in the page's language ({n} stands for N, {shown} for M).
func countForms(lang, id string) map[string]string {
	out := map[string]string{}
	for form, s := range i18n.Forms(lang, id) {
		out[form] = strings.ReplaceAll(s, "{{.Count}}", "{n}")
	}
	return out
}

// countFormsJSON is the plural forms of site.count and site.countOf as
// JSON ({"all": {"one": "{n} case", ...}, "of": {...}}), for the filter
// script.
func countFormsJSON(lang string) string {
	b, _ := json.Marshal(map[string]map[string]string{"all": countForms(lang, "site.count"), "of": countForms(lang, "site.countOf")})
	return string(b)
}

// renderChooser returns the index.html of a publication in several
// languages: links to each language's copy, nothing else.
func renderChooser(set *Set, langs []string) ([]byte, error) {
	var links []map[string]any
	for _, l := range langs {
		links = append(links, map[string]any{"Lang": l, "Name": i18n.T(l, "lang."+l, nil), "Href": l + "/index.html",
			"Title": i18n.T(l, "site.title", nil)})
	}
	var buf bytes.Buffer
	err := langTemplates(langs[0]).ExecuteTemplate(&buf, "langs.html.tmpl", map[string]any{
		"Lang": langs[0], "Org": set.Org, "Links": links, "Style": template.CSS(styleCSS),
		"CSP": "default-src 'none'; style-src " + cspHash(styleCSS) + "; base-uri 'none'; form-action 'none'",
	})
	return buf.Bytes(), err
}

// scannerNoteIn is [ScannerNote] in lang.
func scannerNoteIn(lang string) string { return i18n.Translate(lang, ScannerNote) }

// anonymityNoteIn is [AnonymityNote] in lang.
func anonymityNoteIn(lang string, k int) string {
	if lang == i18n.Default {
		return AnonymityNote(k)
	}
	return i18n.N(lang, "site.anonymityNote", k, nil)
}
