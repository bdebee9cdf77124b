package publish

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserDistrictMap opens the page of charts in Chromium, in English
// and Russian, at a desktop and a phone width, and checks the schematic
// map of federal districts: an image named by its title and described by
// its desc (which names the largest district), eight tiles whose counts
// and shades follow the table beside it (counts of 1 or 2 written "fewer
// than 3" and grey), nothing wider than the screen, no request, no
// script. PUBLISH_SCREENSHOTS=testdata/screenshots keeps map-desktop.png,
// map-phone.png and map-ru-desktop.png.
func TestBrowserDistrictMap(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	o := fixtureOptions
	o.Redact = true
	set, err := Prepare(testOrg, chartSources(t), o)
	if err != nil {
		t.Fatal(err)
	}
	set.Langs = []string{"en", "ru"}
	p, err := Build(set, "html", testPub(), testSign)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	b := startBrowser(t)
	for _, tc := range []struct {
		lang, name string
		w, h       int
		mobile     bool
		title      string
		fewer      string
	}{
		{"en", "desktop", 1280, 900, false, "Map: prisoners by federal district", "fewer than 3"},
		{"en", "phone", 390, 844, true, "Map: prisoners by federal district", "fewer than 3"},
		{"ru", "ru-desktop", 1280, 900, false, "Карта: политзаключённые по федеральным округам", "меньше 3"},
		{"ru", "ru-phone", 390, 844, true, "Карта: политзаключённые по федеральным округам", "меньше 3"},
	} {
		b.viewport(tc.w, tc.h, tc.mobile)
		b.open("file://" + filepath.ToSlash(dir) + "/" + tc.lang + "/" + ChartsName)
		if w := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); w.(float64) > 0 {
			t.Errorf("%s: the page is %v px wider than the screen", tc.name, w)
		}
		res := b.eval(`JSON.stringify((() => {
			const svg = document.querySelector("svg.tilemap");
			if (!svg) return null;
			const ids = svg.getAttribute("aria-labelledby").split(" ");
			const fig = svg.closest("figure");
			const r = svg.getBoundingClientRect();
			return {
				role: svg.getAttribute("role"),
				name: ids.map(id => document.getElementById(id).textContent).join(" | "),
				caption: fig.querySelector("caption").textContent,
				tiles: [...svg.querySelectorAll("g.tile")].map(g => ({
					attrs: g.querySelector("rect").getAttributeNames().filter(a => a.startsWith("data-")),
					step: +(g.querySelector("rect").dataset.step ?? -1),
					fill: g.querySelector("rect").getAttribute("fill"),
					short: g.querySelectorAll("text")[0].textContent, shown: g.querySelectorAll("text")[1].textContent,
					w: g.querySelector("rect").getBoundingClientRect().width,
					textW: Math.max(...[...g.querySelectorAll("text")].map(x => x.getBoundingClientRect().width))})),
				rows: [...fig.querySelectorAll("tbody tr")].map(tr => [tr.querySelector("th").textContent, tr.querySelector("td").textContent]),
				width: r.width, right: r.right, top: r.top + window.scrollY, left: r.left,
				figTop: fig.getBoundingClientRect().top + window.scrollY, figH: fig.getBoundingClientRect().height, figW: fig.getBoundingClientRect().width,
			};
		})())`).(string)
		var m struct {
			Role, Name, Caption string
			Tiles               []struct {
				Attrs              []string
				Step               int
				Fill, Short, Shown string
				W, TextW           float64
			}
			Rows                    [][2]string
			Width, Right, Top, Left float64
			FigTop, FigH, FigW      float64
		}
		if err := json.Unmarshal([]byte(res), &m); err != nil || res == "null" {
			t.Fatalf("%s: no map on the page (%v): %s", tc.name, err, res)
		}
		if m.Role != "img" || m.Caption != tc.title || !strings.HasPrefix(m.Name, tc.title+" | ") {
			t.Errorf("%s: role %q, caption %q, accessible name %q", tc.name, m.Role, m.Caption, m.Name)
		}
		if len(m.Tiles) != 8 {
			t.Fatalf("%s: %d tiles, want the 8 federal districts", tc.name, len(m.Tiles))
		}
		if m.Right > float64(tc.w) || m.Width < 300 {
			t.Errorf("%s: the map is %v px wide, ends at %v", tc.name, m.Width, m.Right)
		}
		// Every tile's number is the table's, in the same order (the
		// counts are read from the table, the only place a reader gets
		// them); a count below the threshold is grey, written "fewer
		// than 3", and its tile carries no data attribute that could
		// tell one case from two; the largest is named in the
		// description and has the darkest shade.
		best, total, hidden := 0, 0, 0
		counts := make([]int, len(m.Tiles))
		for i, tile := range m.Tiles {
			if i >= len(m.Rows) || m.Rows[i][1] != tile.Shown {
				t.Fatalf("%s: tile %d (%s) shows %q, the table %v", tc.name, i, tile.Short, tile.Shown, m.Rows)
			}
			if tile.Shown == tc.fewer {
				hidden++
				if tile.Fill != hiddenFillForTest || len(tile.Attrs) > 0 {
					t.Errorf("%s: tile %s of fewer than 3 cases is %s with data attributes %v", tc.name, tile.Short, tile.Fill, tile.Attrs)
				}
			} else if _, err := fmt.Sscan(tile.Shown, &counts[i]); err != nil || (counts[i] > 0 && counts[i] < ChartMinCount) {
				t.Errorf("%s: tile %s shows %q", tc.name, tile.Short, tile.Shown)
			}
			if tile.TextW > tile.W {
				t.Errorf("%s: the text of tile %s (%.0f px) is wider than the tile (%.0f px)", tc.name, tile.Short, tile.TextW, tile.W)
			}
			if counts[i] > counts[best] {
				best = i
			}
			total += counts[i]
		}
		if total == 0 || hidden == 0 {
			t.Fatalf("%s: %d cases counted on the map, %d tiles of fewer than 3: the test shows nothing", tc.name, total, hidden)
		}
		if m.Tiles[best].Step != 4 || !strings.Contains(m.Name, m.Rows[best][0]) {
			t.Errorf("%s: the largest district %s (step %d) is not darkest or not named in %q", tc.name, m.Rows[best][0], m.Tiles[best].Step, m.Name)
		}
		if p := b.problems(); len(p) > 0 {
			t.Errorf("%s: the page made requests or logged errors:\n%s", tc.name, strings.Join(p, "\n"))
		}
		if tc.name != "ru-phone" {
			shotFigure(b, "map-"+tc.name, m.FigTop, m.FigH, tc.w)
		}
	}
}

// hiddenFillForTest is the grey of a count below the threshold.
const hiddenFillForTest = "#c9c9c9"

// shotFigure keeps a screenshot of the band of the page from top, height
// h, as PUBLISH_SCREENSHOTS/name.png.
func shotFigure(b *browser, name string, top, h float64, w int) {
	dir := os.Getenv("PUBLISH_SCREENSHOTS")
	if dir == "" {
		return
	}
	res := b.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": top - 8, "width": w, "height": h + 16, "scale": 1}}, true)
	png, _ := base64.StdEncoding.DecodeString(res["data"].(string))
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}
