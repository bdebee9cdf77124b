package publish

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

// chartSources are the fixtures and 120 realistic generated cases, so that
// the charts have bars of many lengths and some counts below
// ChartMinCount.
func chartSources(t testing.TB) []Source {
	out := fixtureSources(t)
	g := casegen.NewRealistic(17)
	for i := range 120 {
		b, _ := json.Marshal(g.Case())
		c, err := schema.FromJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		if Consent(c) == ConsentAnonymous {
			continue // alone in its crowd: the k-anonymity check would refuse it
		}
		out = append(out, source(fmt.Sprintf("gen-%d", i), c))
	}
	return out
}

// TestBrowserCharts opens the page of charts in Chromium at a desktop and
// a phone width: every chart is an image with the name and description
// its title and desc give, the bars are drawn in proportion to the counts
// in the table next to them, small counts read "fewer than 3", nothing is
// wider than a phone, and the page runs no script and loads nothing.
// PUBLISH_SCREENSHOTS=testdata/screenshots keeps charts-desktop.png and
// charts-phone.png.
func TestBrowserCharts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	o := fixtureOptions
	o.Redact = true // generated summaries may name people; masked, not refused
	o.Today = "2026-11-30"
	sources := chartSources(t)
	for i, s := range sources {
		if s.CaseID == "c-kara-murza" {
			sources[i].Case = setField(t, s.Case, "hearings", []any{
				map[string]any{"date": "2026-12-04", "time": "14:00", "court": "Basmanny District Court", "notes": "bring the witness list"},
				map[string]any{"date": "2026-11-02", "court": "Moscow City Court"}})
		}
	}
	if err := build(t, sources, "html", o).WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	page := "file://" + filepath.ToSlash(dir) + "/" + ChartsName
	b := startBrowser(t)
	for _, vp := range []struct {
		name   string
		w, h   int
		mobile bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		b.viewport(vp.w, vp.h, vp.mobile)
		b.open("file://" + filepath.ToSlash(dir) + "/index.html")
		b.eval(`document.querySelector('a[href="charts.html"]').click()`)
		b.waitLoaded("/" + ChartsName)
		b.screenshot("charts-" + vp.name)
		contains(t, vp.name, b.text(), []string{"Cases in charts", "Prisoners by status", "Prisoners by article", "Prisoners by region",
			"Prisoners by federal district", "New detentions per year", "Mistreatment by kind", "fewer than 3", "sentenced", "RU-CC 207.3"}, nil)
		if w := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); w.(float64) > 0 {
			t.Errorf("%s: the page of charts is %v px wider than the screen", vp.name, w)
		}
		// Each chart: an image named by its title and described by its
		// desc, and its bars in proportion to the table's numbers.
		res := b.eval(`JSON.stringify([...document.querySelectorAll("svg.chart:not(.tilemap)")].map(svg => {
			const ids = (svg.getAttribute("aria-labelledby") || "").split(" ");
			const fig = svg.closest("figure");
			return {
				role: svg.getAttribute("role"),
				name: ids.map(id => (document.getElementById(id) || {}).textContent || "").join(" | "),
				caption: fig.querySelector("caption").textContent,
				bars: [...svg.querySelectorAll("rect")].map(r => r.getBoundingClientRect().width),
				data: [...svg.querySelectorAll("rect")].map(r => r.getAttributeNames().filter(a => a.startsWith("data-")).join(",")),
				rows: [...fig.querySelectorAll("tbody td")].map(td => td.textContent),
				visible: svg.getBoundingClientRect().width,
			};
		}))`).(string)
		var got []struct {
			Role, Name, Caption string
			Bars                []float64
			Data, Rows          []string
			Visible             float64
		}
		if err := json.Unmarshal([]byte(res), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 6 {
			t.Fatalf("%s: %d charts, want 6", vp.name, len(got))
		}
		hidden := 0
		for _, c := range got {
			if c.Role != "img" || !strings.HasPrefix(c.Name, c.Caption+" | Bar chart: ") {
				t.Errorf("%s: chart %q: role %q, accessible name and description %q", vp.name, c.Caption, c.Role, c.Name)
			}
			if c.Visible < 300 || c.Visible > float64(vp.w) {
				t.Errorf("%s: chart %q is %v px wide", vp.name, c.Caption, c.Visible)
			}
			if len(c.Bars) != len(c.Rows) {
				t.Fatalf("%s: chart %q has %d bars and %d rows", vp.name, c.Caption, len(c.Bars), len(c.Rows))
			}
			// px per case must be the same for every shown bar; a bar of
			// fewer than 3 is a stub of one width with no data attribute,
			// whether it stands for one case or two.
			scale, stub := 0.0, -1.0
			for i, row := range c.Rows {
				var n int
				if _, err := fmt.Sscan(row, &n); err != nil {
					if !strings.HasPrefix(row, "fewer than") {
						t.Errorf("%s: chart %q row %q", vp.name, c.Caption, row)
					}
					if stub < 0 {
						stub = c.Bars[i]
					}
					if c.Bars[i] != stub || c.Data[i] != "" {
						t.Errorf("%s: chart %q: bar %d of fewer than 3 is %.1f px (another %.1f) with data attributes %q", vp.name, c.Caption, i, c.Bars[i], stub, c.Data[i])
					}
					hidden++
					continue
				}
				if scale == 0 {
					scale = c.Bars[i] / float64(n)
				}
				if math.Abs(c.Bars[i]-scale*float64(n)) > 1 {
					t.Errorf("%s: chart %q: bar %d is %.1f px for %d cases, want %.1f", vp.name, c.Caption, i, c.Bars[i], n, scale*float64(n))
				}
			}
		}
		if hidden == 0 {
			t.Errorf("%s: no bar of fewer than 3: the test shows nothing", vp.name)
		}
	}
	// The next hearing on the case page: its day only.
	b.viewport(1280, 900, false)
	b.open("file://" + filepath.ToSlash(dir) + "/cases/" + source("kara-murza", nil).PublicID + ".html")
	contains(t, "case page", b.text(), []string{"Next hearing\n2026-12-04"}, []string{"14:00", "Basmanny", "witness list", "2026-11-02"})
	if p := b.problems(); len(p) > 0 {
		t.Errorf("the page made requests or logged errors:\n%s", strings.Join(p, "\n"))
	}
	_ = page
}
