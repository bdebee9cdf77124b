package publish

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault/i18n"
	"github.com/casevault/casevault/vault/internal/charts"
)

// ChartMinCount is the smallest count the site's charts show as a number:
// a bar of one or two cases is drawn as a stub and labelled "fewer than 3",
// and nothing in the markup (attribute, width, colour, order) tells one
// from two. The charts count only what the records publish (consent,
// anonymisation and the public fields already applied), so they reveal
// nothing the list does not; and the list shows every published case, so
// the threshold hides no one: it only keeps exact small numbers out of the
// drawings (a total minus the other rows can still give one).
const ChartMinCount = 3

// ChartsName is the page of charts in an HTML publication.
const ChartsName = "charts.html"

// SiteCharts are the charts of the publication of set: prisoners by
// status, article, region and federal district, new detentions per year
// and mistreatment by kind, counted from its public records.
func SiteCharts(set *Set, t charts.Text) []charts.Chart {
	status, article, region, district, year, mistreat := counts{}, counts{}, counts{}, counts{}, counts{}, counts{}
	for _, r := range set.Records {
		status.add(r.Status)
		var arts []string
		for _, a := range r.Articles {
			if i := strings.IndexByte(a, '('); i > 0 {
				a = strings.TrimSpace(a[:i])
			}
			arts = append(arts, a)
		}
		article.addEach(arts)
		region.add(r.Region)
		d := r.FederalDistrict
		if d == "" {
			d = FederalDistrict(r.Region)
		}
		district.add(d)
		year.add(year4(r.FirstDetentionDate))
		var kinds []string
		for _, m := range r.Mistreatment {
			kinds = append(kinds, m.Kind...)
		}
		mistreat.addEach(kinds)
	}
	// vocab names the controlled vocabulary of a chart's values, whose
	// labels are the catalogue's words in the page's language ("": values
	// shown as they are).
	mk := func(id, title, col string, c counts, byValue bool, vocab string) charts.Chart {
		values, ns := c.sorted(byValue, ChartMinCount)
		if vocab != "" && t.Lang != "" {
			values = vocabsIn(t.Lang, vocab, values)
		}
		return charts.Chart{ID: "chart-" + id, Title: title, LabelCol: col, Below: ChartMinCount,
			Bars: charts.Bars(values, ns, ChartMinCount, t.None)}
	}
	return []charts.Chart{
		mk("status", t.Status, t.StatusCol, status, false, "status"),
		mk("article", t.Article, t.ArticleCol, article, false, ""),
		mk("region", t.Region, t.RegionCol, region, false, ""),
		mk("district", t.District, t.DistrictCol, district, false, "district"),
		mk("year", t.Year, t.YearCol, year, true, ""),
		mk("mistreatment", t.Mistreatment, t.MistreatmentCol, mistreat, false, "mistreatment"),
	}
}

func year4(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return ""
}

// counts counts cases by value; "" is a case without a value.
type counts map[string]int

func (c counts) add(v string) { c[v]++ }

// addEach counts a case once under each distinct value, or under "".
func (c counts) addEach(vs []string) {
	if len(vs) == 0 {
		c[""]++
		return
	}
	slices.Sort(vs)
	for _, v := range slices.Compact(vs) {
		c[v]++
	}
}

// sorted are the values, largest count first (ties and byValue: by
// value), "" last. Counts above zero and below below (0: none) rank as
// equal, so that the order of the "fewer than" rows does not tell a value
// of two cases from one of one.
func (c counts) sorted(byValue bool, below int) ([]string, []int) {
	rank := func(v string) int {
		if n := c[v]; below > 0 && n > 0 && n < below {
			return 1
		}
		return c[v]
	}
	values := make([]string, 0, len(c))
	for v := range c {
		values = append(values, v)
	}
	slices.SortFunc(values, func(a, b string) int {
		switch {
		case a == "" || b == "":
			return strings.Compare(b, a)
		case !byValue && rank(a) != rank(b):
			return rank(b) - rank(a)
		}
		return strings.Compare(a, b)
	})
	ns := make([]int, len(values))
	for i, v := range values {
		ns[i] = c[v]
	}
	return values, ns
}

type chartView struct {
	Title  string
	Figure template.HTML
}

// renderCharts is the page of charts of an HTML publication: inline SVG,
// no script, each chart with its table.
func renderCharts(set *Set, lang siteLang) ([]byte, error) {
	templates := langTemplates(lang.Lang)
	t := charts.For(lang.Lang)
	style := styleCSS + "\n" + charts.Style
	var views []chartView
	for _, c := range SiteCharts(set, t) {
		// The figure is built by package charts, which escapes every text.
		views = append(views, chartView{Title: c.Title, Figure: template.HTML(c.Figure(t))})
	}
	m := DistrictMap(set, t, lang.Lang) // the schematic map of districts_map.go, escaped by package charts
	views = append(views, chartView{Title: m.Title, Figure: template.HTML(m.Figure(t))})
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "charts.html.tmpl", map[string]any{
		"Org": set.Org, "Title": t.PageTitle, "Count": len(set.Records), "Charts": views,
		"Published": i18n.N(lang.Lang, "site.footerCount", len(set.Records), map[string]any{"Org": set.Org}),
		"Note":      fmt.Sprintf(t.Suppressed, ChartMinCount), "ScannerNote": ScannerNote,
		"Style": template.CSS(style),
		"CSP":   "default-src 'none'; style-src " + cspHash(style) + "; base-uri 'none'; form-action 'none'",
	})
	return buf.Bytes(), err
}
