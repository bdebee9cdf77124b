package publish

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
	"github.com/casevault/casevault/vault/internal/charts"
)

// TestDistrictMap: the map has a tile for each federal district of the
// table in districts.go and no other; its counts are the district chart's;
// counts of 1 or 2 are hidden; the map's words have the same fmt verbs in
// every language.
func TestDistrictMap(t *testing.T) {
	var names []string
	for _, d := range federalDistricts {
		names = append(names, d.name)
	}
	var tiles []string
	for _, d := range districtTiles {
		tiles = append(tiles, d.name)
	}
	slices.Sort(names)
	slices.Sort(tiles)
	if !slices.Equal(names, tiles) {
		t.Fatalf("tiles %v, districts %v", tiles, names)
	}
	set, err := Prepare(testOrg, chartSources(t), Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	tx := charts.For("en")
	m := DistrictMap(set, tx, "en")
	var chart charts.Chart
	for _, c := range SiteCharts(set, tx) {
		if c.ID == "chart-district" {
			chart = c
		}
	}
	want := map[string]charts.Bar{}
	for _, b := range chart.Bars {
		want[b.Label] = b
	}
	sum := 0
	for _, tile := range m.Tiles {
		b := want[tile.Label]
		if b.Count != tile.Count || b.Hidden != tile.Hidden {
			t.Errorf("tile %s: %d (hidden %v), the chart has %d (hidden %v)", tile.Label, tile.Count, tile.Hidden, b.Count, b.Hidden)
		}
		if tile.Hidden != (tile.Count > 0 && tile.Count < ChartMinCount) {
			t.Errorf("tile %s of %d: hidden %v", tile.Label, tile.Count, tile.Hidden)
		}
		sum += tile.Count
	}
	for _, r := range m.Rest {
		sum += r.Count
	}
	if sum != len(set.Records) {
		t.Errorf("the map and its table count %d cases of %d", sum, len(set.Records))
	}
	ru := DistrictMap(set, charts.For("ru"), "ru")
	if ru.Tiles[1].Label != "Центральный федеральный округ" || ru.Tiles[1].Short != "ЦФО" {
		t.Errorf("ru tile %+v", ru.Tiles[1])
	}
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, id := range []string{"ui.map.desc", "ui.map.descEmpty"} {
		en := strings.Join(verbs.FindAllString(i18n.T("en", id, nil), -1), "")
		for _, l := range []string{"ru", "uk"} {
			if got := strings.Join(verbs.FindAllString(i18n.T(l, id, nil), -1), ""); got != en {
				t.Errorf("%s in %s has verbs %q, English %q", id, l, got, en)
			}
		}
	}
}
