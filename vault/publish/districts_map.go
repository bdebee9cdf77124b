package publish

import (
	"github.com/casevault/casevault/vault/i18n"
	"github.com/casevault/casevault/vault/internal/charts"
)

// districtTiles place the eight federal districts on the schematic map,
// west to east and north to south, in grid cells: no borders, no
// geodata, nothing fetched. The districts are those of districts.go, each
// region counted where that table puts it (see its note on occupied
// territories); the map adds no region and implies no recognition.
var districtTiles = []struct {
	name           string
	col, row, w, h int
}{
	{"Northwestern Federal District", 0, 0, 2, 1},
	{"Central Federal District", 0, 1, 1, 1},
	{"Volga Federal District", 1, 1, 1, 1},
	{"Southern Federal District", 0, 2, 1, 1},
	{"North Caucasian Federal District", 1, 2, 1, 1},
	{"Ural Federal District", 2, 0, 1, 2},
	{"Siberian Federal District", 3, 0, 1, 2},
	{"Far Eastern Federal District", 4, 0, 1, 2},
}

// DistrictMap is the schematic map of the cases of set by federal
// district, its words in lang: counted as the district chart counts
// (the published district, else the district of the published region),
// counts below ChartMinCount written "fewer than 3". Cases without a
// district are a row of the table, not a tile.
func DistrictMap(set *Set, t charts.Text, lang string) charts.TileMap {
	c := counts{}
	for _, r := range set.Records {
		d := r.FederalDistrict
		if d == "" {
			d = FederalDistrict(r.Region)
		}
		c.add(d)
	}
	return DistrictMapOf(c, ChartMinCount, t, lang)
}

// DistrictMapOf is the schematic map of counts of cases by federal
// district (by the English names of districts.go; "" for none), counts
// below below hidden (0: none), its words in lang.
func DistrictMapOf(byDistrict map[string]int, below int, t charts.Text, lang string) charts.TileMap {
	c := counts(byDistrict)
	m := charts.TileMap{ID: "map-district", Title: i18n.T(lang, "ui.map.title", nil), LabelCol: t.DistrictCol, Below: below,
		Desc: i18n.T(lang, "ui.map.desc", nil), DescEmpty: i18n.T(lang, "ui.map.descEmpty", nil)}
	hidden := func(n int) bool { return below > 0 && n > 0 && n < below }
	known := map[string]bool{}
	for _, d := range districtTiles {
		known[d.name] = true
		n := c[d.name]
		m.Tiles = append(m.Tiles, charts.Tile{Label: vocabIn(lang, "district", d.name), Short: i18n.T(lang, "ui.map.abbr."+d.name, nil),
			Count: n, Hidden: hidden(n), Col: d.col, Row: d.row, W: d.w, H: d.h})
	}
	values, ns := c.sorted(false, below)
	for i, v := range values {
		if known[v] {
			continue
		}
		label := v
		if v == "" {
			label = t.None
		}
		m.Rest = append(m.Rest, charts.Bar{Label: label, Count: ns[i], Hidden: hidden(ns[i])})
	}
	return m
}
