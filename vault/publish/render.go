package publish

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/casevault/casevault/vault/i18n"
)

// Formats are the output formats, by name.
var Formats = []string{"html", "json", "csv", "md"}

// File names in a publication directory.
const (
	ManifestName  = "MANIFEST.json"
	SignatureName = "MANIFEST.sig"
)

//go:embed assets
var assets embed.FS

// The page's style and script are embedded as strings: no copy is made at
// package initialisation, which every command pays for.
var (
	//go:embed assets/style.css
	styleCSS string
	//go:embed assets/filter.js
	filterJS string
)

// cspHash is a Content-Security-Policy source for inline text.
func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// Render returns the files of the publication of set in format (html, json,
// csv or md), by path relative to the publication directory, without the
// manifest. The same set gives the same bytes.
func Render(set *Set, format string) (map[string][]byte, error) {
	set = cleanSet(set)
	var files map[string][]byte
	var err error
	switch format {
	case "html":
		files, err = renderHTML(set)
	case "json":
		var b []byte
		b, err = renderJSON(set)
		files = map[string][]byte{"cases.json": b}
	case "csv":
		files, err = renderCSV(set)
	case "md":
		files = renderMarkdownLangs(set)
	default:
		return nil, fmt.Errorf("unknown format %q: want html, json, csv or md", format)
	}
	if err != nil {
		return nil, err
	}
	files[ReadmeName] = renderReadme(set, format)
	return files, nil
}

// Columns are the columns of cases.csv, in order: one row per case. Lists
// that have rows of their own are in the files of [ListColumns].
var Columns = []string{"id", "name", "name_native", "birth_year", "gender", "region", "articles",
	"first_detention_date", "status", "sentence", "facility", "summary",
	"federal_district", "citizenship", "occupation", "court", "judge", "verdict_date", "appeal", "anonymous", "origin", "next_hearing"}

// ListColumns are the other files of the CSV format, by name, with their
// columns: one row per charge, detention period and incident of
// mistreatment, keyed by the case's public ID (column case_id).
var ListColumns = map[string][]string{
	"charges.csv":      {"case_id", "article", "title", "date"},
	"detention.csv":    {"case_id", "kind", "facility", "from", "to", "conditions"},
	"mistreatment.csv": {"case_id", "date", "kind"},
}

// jsonDoc is the JSON format.
type jsonDoc struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Org     string    `json:"org"`
	Cases   []*Record `json:"cases"`
}

func renderJSON(set *Set) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	recs := set.Records
	if recs == nil {
		recs = []*Record{}
	}
	err := enc.Encode(jsonDoc{Format: "casevault-public-cases", Version: 1, Org: set.Org, Cases: recs})
	return buf.Bytes(), err
}

func renderCSV(set *Set) (map[string][]byte, error) {
	rows := map[string][][]string{}
	for name, cols := range ListColumns {
		rows[name] = [][]string{cols}
	}
	cases := [][]string{Columns}
	for _, r := range set.Records {
		year := ""
		if r.BirthYear != 0 {
			year = strconv.Itoa(r.BirthYear)
		}
		anon := "false"
		if r.Anonymous {
			anon = "true"
		}
		cases = append(cases, []string{r.ID, r.Name, r.NameNative, year, r.Gender, r.Region, strings.Join(r.Articles, "; "),
			r.FirstDetentionDate, r.Status, r.Sentence, r.Facility, r.Summary,
			r.FederalDistrict, strings.Join(r.Citizenship, "; "), r.Occupation, r.Court, r.Judge, r.VerdictDate, r.Appeal, anon, r.Origin, r.NextHearing})
		for _, c := range r.Charges {
			rows["charges.csv"] = append(rows["charges.csv"], []string{r.ID, c.Article, c.Title, c.Date})
		}
		for _, d := range r.Detention {
			rows["detention.csv"] = append(rows["detention.csv"], []string{r.ID, d.Kind, d.Facility, d.From, d.To, strings.Join(d.Conditions, "; ")})
		}
		for _, m := range r.Mistreatment {
			rows["mistreatment.csv"] = append(rows["mistreatment.csv"], []string{r.ID, m.Date, strings.Join(m.Kind, "; ")})
		}
	}
	rows["cases.csv"] = cases
	files := map[string][]byte{}
	for name, rs := range rows {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		for i, row := range rs {
			if i > 0 {
				for j, c := range row {
					row[j] = csvCell(c)
				}
			}
			if err := w.Write(row); err != nil {
				return nil, err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		files[name] = buf.Bytes()
	}
	return files, nil
}

// csvCell defuses cells that spreadsheets would run as formulas.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// mdSpecial are the characters escaped in Markdown text so that case text
// cannot become markup, links or HTML.
var mdSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `#`, `\#`, `~`, `\~`, `!`, `\!`, `&`, `\&`)

var mdLineStart = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([-+=]|\d+[.)])`) })

func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mdSpecial.Replace(s)
}

// mdParagraph is mdText for text that starts a line, where "-", "+", "="
// and "1." would start a list or a heading.
func mdParagraph(s string) string {
	return mdLineStart().ReplaceAllString(mdText(s), `\$1`)
}

var blankLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\n\s*\n`) })

// paragraphs splits text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range blankLine().Split(strings.TrimSpace(s), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// scriptLang returns a language tag for text whose language is unknown but
// whose script is: "und-Cyrl" for Cyrillic text without Latin letters, or
// "" for text in the page's language.
func scriptLang(s string, always bool) string {
	cyr, lat := false, false
	for _, r := range s {
		cyr = cyr || unicode.Is(unicode.Cyrillic, r)
		lat = lat || unicode.Is(unicode.Latin, r)
	}
	switch {
	case cyr && !lat:
		return "und-Cyrl"
	case always:
		return "und"
	}
	return ""
}

type htmlRow struct {
	R          *Record
	ArticleKey string
	Words      string // searchWords
	NativeLang string
}

// renderHTML writes the site once per language of set.Langs (English
// when none): a single language at the top of the publication, several
// each in its own directory (ru/, uk/, en/) with links between the copies
// of each page and a language chooser as index.html.
func renderHTML(set *Set) (map[string][]byte, error) {
	langs := set.Langs
	if len(langs) == 0 {
		langs = []string{i18n.Default}
	}
	if len(langs) == 1 {
		return renderHTMLIn(set, siteLang{Lang: langs[0]})
	}
	files := map[string][]byte{}
	for _, l := range langs {
		part, err := renderHTMLIn(set, siteLang{Lang: l, All: langs, Prefix: l + "/"})
		if err != nil {
			return nil, err
		}
		for name, b := range part {
			files[l+"/"+name] = b
		}
	}
	chooser, err := renderChooser(set, langs)
	if err != nil {
		return nil, err
	}
	files["index.html"] = chooser
	return files, nil
}

func renderHTMLIn(set *Set, lang siteLang) (map[string][]byte, error) {
	templates := langTemplates(lang.Lang)
	files := map[string][]byte{}
	style, script := template.CSS(styleCSS), template.JS(filterJS)
	var statuses, regions, articles []string
	var rows []htmlRow
	for _, r := range set.Records {
		rows = append(rows, htmlRow{R: r, ArticleKey: "|" + strings.Join(r.Articles, "|") + "|", Words: searchWords(r), NativeLang: scriptLang(r.NameNative, true)})
		statuses = appendNew(statuses, r.Status)
		regions = appendNew(regions, r.Region)
		for _, a := range r.Articles {
			articles = appendNew(articles, a)
		}
	}
	slices.Sort(statuses)
	slices.Sort(regions)
	slices.SortFunc(articles, compareArticles)
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "index.html.tmpl", map[string]any{
		"Org": set.Org, "Rows": rows, "Statuses": statuses, "Regions": regions, "Articles": articles,
		"Style": style, "Script": script, "FoldTables": template.JS(foldTablesJSON), "ScannerNote": scannerNoteIn(lang.Lang), "AnonymityNote": anonymityNoteIn(lang.Lang, setK(set)),
		"Lang": lang.Lang, "Switcher": lang.switcher("index.html"), "CountForms": countFormsJSON(lang.Lang),
		"CSP": "default-src 'none'; style-src " + cspHash(styleCSS) + "; script-src " + cspHash(filterJS) + "; base-uri 'none'; form-action 'none'",
	})
	if err != nil {
		return nil, err
	}
	files["index.html"] = bytes.Clone(buf.Bytes())
	if files[ChartsName], err = renderCharts(set, lang); err != nil {
		return nil, err
	}
	for _, row := range rows {
		buf.Reset()
		err := templates.ExecuteTemplate(&buf, "case.html.tmpl", map[string]any{
			"Org": set.Org, "R": row.R, "NativeLang": row.NativeLang, "Style": style, "ScannerNote": scannerNoteIn(lang.Lang),
			"Lang": lang.Lang, "Switcher": lang.switcher("cases/" + row.R.ID + ".html"),
			"Summary": paragraphs(row.R.Summary), "SummaryLang": scriptLang(row.R.Summary, false),
			"CSP": "default-src 'none'; style-src " + cspHash(styleCSS) + "; base-uri 'none'; form-action 'none'",
		})
		if err != nil {
			return nil, err
		}
		files["cases/"+row.R.ID+".html"] = bytes.Clone(buf.Bytes())
	}
	return files, nil
}

func appendNew(l []string, s string) []string {
	if s == "" || slices.Contains(l, s) {
		return l
	}
	return append(l, s)
}

// compareArticles orders articles by code, then numerically ("RU-CC 20.3"
// before "RU-CC 207.3(2)" before "RU-CC 275").
func compareArticles(a, b string) int {
	ca, ra, _ := strings.Cut(a, " ")
	cb, rb, _ := strings.Cut(b, " ")
	if ca != cb {
		return strings.Compare(ca, cb)
	}
	na, nb := leadingNumber(ra), leadingNumber(rb)
	if na != nb {
		if na < nb {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func leadingNumber(s string) float64 {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s[:end], "."), 64)
	if err != nil {
		return 1e18
	}
	return f
}

// setK is the k the set passed, or DefaultK for a set made without Prepare.
func setK(set *Set) int {
	if set.K == 0 {
		return DefaultK
	}
	return set.K
}
