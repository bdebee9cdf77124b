package vault

import (
	"fmt"

	"github.com/casevault/casevault/vault/i18n"
	"github.com/casevault/casevault/vault/internal/charts"
	"github.com/casevault/casevault/vault/publish"
)

// statsVocab names the controlled vocabulary of a dimension's values.
var statsVocab = map[string]string{"status": "status", "mistreatment": "mistreatment", "condition": "condition"}

// statsCharts are the charts of s, one per dimension, every count shown
// (the owner's own counts: nothing is hidden).
func statsCharts(s Stats, t charts.Text) []charts.Chart {
	titles := map[string][2]string{
		"status": {t.Status, t.StatusCol}, "article": {t.Article, t.ArticleCol}, "region": {t.Region, t.RegionCol},
		"facility": {t.Facility, t.FacilityCol}, "year": {t.Year, t.YearCol},
		"mistreatment": {t.Mistreatment, t.MistreatmentCol}, "condition": {t.Condition, t.ConditionCol},
	}
	var out []charts.Chart
	for _, d := range s.Dimensions() {
		values, ns := make([]string, len(d.Counts)), make([]int, len(d.Counts))
		for i, c := range d.Counts {
			values[i], ns[i] = c.Value, c.Count
			// A controlled word in the charts' language.
			if id := "vocab." + statsVocab[d.Name] + "." + c.Value; statsVocab[d.Name] != "" && c.Value != "" && t.Lang != "" && i18n.Has(t.Lang, id) {
				values[i] = i18n.T(t.Lang, id, nil)
			}
		}
		tt := titles[d.Name]
		out = append(out, charts.Chart{ID: "chart-" + d.Name, Title: tt[0], LabelCol: tt[1], Bars: charts.Bars(values, ns, 0, t.None)})
	}
	return out
}

// SVG draws s as one SVG file: a bar chart per dimension, each with its
// title and description for screen readers. It holds the owner's private
// counts.
func (s Stats) SVG() []byte { return s.SVGIn("en") }

// SVGIn is [Stats.SVG] with the charts' text in lang (en, ru or uk).
func (s Stats) SVGIn(lang string) []byte {
	t := charts.For(lang)
	return charts.Document(t.OwnerTitle, fmt.Sprintf(t.OwnerNote, s.Total), statsCharts(s, t), t, s.districtMap(t, lang))
}

// HTML draws s as one HTML page without script: a bar chart per
// dimension, each next to the table it is drawn from. It holds the
// owner's private counts.
func (s Stats) HTML() []byte { return s.HTMLIn("en") }

// HTMLIn is [Stats.HTML] with the charts' text in lang (en, ru or uk).
func (s Stats) HTMLIn(lang string) []byte {
	t := charts.For(lang)
	return charts.Page(t.OwnerTitle, fmt.Sprintf(t.OwnerNote, s.Total), statsCharts(s, t), t, s.districtMap(t, lang))
}

// districtMap is the schematic map of s by federal district: each
// region's count under its district (publish.FederalDistrict), regions it
// does not know under none; every count shown (the owner's own).
func (s Stats) districtMap(t charts.Text, lang string) charts.TileMap {
	by := map[string]int{}
	for _, c := range s.Region {
		by[publish.FederalDistrict(c.Value)] += c.Count
	}
	return publish.DistrictMapOf(by, 0, t, lang)
}
