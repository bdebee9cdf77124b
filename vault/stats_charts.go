package vault

import (
	"fmt"

	"github.com/casevault/casevault/vault/internal/charts"
)

// statsCharts are the charts of s, one per dimension, every count shown
// (the owner's own counts: nothing is hidden).
func statsCharts(s Stats) []charts.Chart {
	t := charts.English
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
		}
		tt := titles[d.Name]
		out = append(out, charts.Chart{ID: "chart-" + d.Name, Title: tt[0], LabelCol: tt[1], Bars: charts.Bars(values, ns, 0, t.None)})
	}
	return out
}

// SVG draws s as one SVG file: a bar chart per dimension, each with its
// title and description for screen readers. It holds the owner's private
// counts.
func (s Stats) SVG() []byte {
	t := charts.English
	return charts.Document(t.OwnerTitle, fmt.Sprintf(t.OwnerNote, s.Total), statsCharts(s), t)
}

// HTML draws s as one HTML page without script: a bar chart per
// dimension, each next to the table it is drawn from. It holds the
// owner's private counts.
func (s Stats) HTML() []byte {
	t := charts.English
	return charts.Page(t.OwnerTitle, fmt.Sprintf(t.OwnerNote, s.Total), statsCharts(s), t)
}
