package charts

import (
	"fmt"
	"strconv"
	"strings"
)

// A Tile is one region of a [TileMap]: a box at a fixed place of a
// schematic grid (no borders, no geodata), with its count.
type Tile struct {
	// Label names the region in full (the table, the description);
	// Short is what fits on the tile ("CFD", "ЦФО").
	Label, Short string
	Count        int
	Hidden       bool // the count is below the map's threshold
	// Col, Row, W and H place the tile on the grid, in cells.
	Col, Row, W, H int
}

// A TileMap is a schematic map: each region a box on a grid, placed
// roughly as the regions lie west to east and north to south, shaded by
// its count on a five-step scale, with the count written on it. Like a
// [Chart] it is an <svg role="img"> labelled by its <title> and <desc>
// (which names the largest region) and comes with the HTML table it is
// drawn from; every text is escaped.
type TileMap struct {
	ID, Title, LabelCol string
	Tiles               []Tile
	// Rest are the rows of the table that have no tile (cases without a
	// region, or a region the map has no tile for).
	Rest []Bar
	// Below is the threshold the counts were hidden under (0: none).
	Below int
	// Desc describes the map (%s: the title; %s: the largest tile's
	// label; %s: its count as shown); DescEmpty a map with nothing
	// counted (%s: the title).
	Desc, DescEmpty string
}

// Geometry of a tile map, in SVG user units.
const (
	tileCell   = 82
	tileGap    = 4
	tileTop    = 8
	tileLeft   = 4
	tileLegend = 34
	tileShort  = 8 // runes of a tile's short label shown
)

// Scale are the fills of the five steps of the colour scale, lightest
// first, and the text colour that keeps 4.5:1 contrast on each.
var Scale = []struct{ Fill, Text string }{
	{"#e3edf6", "#222"}, {"#b5cde3", "#222"}, {"#7aa6cc", "#111"}, {"#3f78aa", "#fff"}, {"#1d4a73", "#fff"},
}

// hiddenFill and zeroFill shade a hidden count and a region without
// cases.
const (
	hiddenFill = "#c9c9c9"
	zeroFill   = "#ffffff"
)

// Step is the step of the colour scale of count n on a map whose largest
// shown count is m: 0 to 4, -1 for none.
func Step(n, m int) int {
	if n <= 0 || m <= 0 {
		return -1
	}
	s := (n*len(Scale) - 1) / m
	return min(max(s, 0), len(Scale)-1)
}

func (m TileMap) max() int {
	out := 0
	for _, t := range m.Tiles {
		if !t.Hidden {
			out = max(out, t.Count)
		}
	}
	return out
}

func (m TileMap) shown(count int, hidden bool, t Text) string {
	if hidden {
		return fmt.Sprintf(t.FewerThan, m.Below)
	}
	return strconv.Itoa(count)
}

// Size is the width and height of the map's SVG.
func (m TileMap) Size() (int, int) {
	cols, rows := 0, 0
	for _, t := range m.Tiles {
		cols, rows = max(cols, t.Col+max(t.W, 1)), max(rows, t.Row+max(t.H, 1))
	}
	return max(Width, tileLeft*2+cols*tileCell), tileTop + rows*tileCell + tileLegend
}

// Description is the text of the map's <desc>.
func (m TileMap) Description(t Text) string {
	best := -1
	for i, tl := range m.Tiles {
		if !tl.Hidden && tl.Count > 0 && (best < 0 || tl.Count > m.Tiles[best].Count) {
			best = i
		}
	}
	if best < 0 {
		return fmt.Sprintf(m.DescEmpty, m.Title) + " " + t.TableNote
	}
	b := m.Tiles[best]
	return fmt.Sprintf(m.Desc, m.Title, b.Label, m.shown(b.Count, false, t)) + " " + t.TableNote
}

// InlineSVG returns the map as an <svg> element for an HTML page; SVG the
// same with the SVG namespace, for an SVG file.
func (m TileMap) InlineSVG(t Text) string { return m.svg(t, "") }

// SVG returns the map with the SVG namespace.
func (m TileMap) SVG(t Text) string { return m.svg(t, ` xmlns="http://www.w3.org/2000/svg"`) }

func (m TileMap) svg(t Text, ns string) string {
	var b strings.Builder
	id := safeID(m.ID)
	w, h := m.Size()
	fmt.Fprintf(&b, `<svg%s class="chart tilemap" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %d %d" width="%d" height="%d">`,
		ns, id, id, w, h, w, h)
	fmt.Fprintf(&b, "\n<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n", id, Escape(m.Title), id, Escape(m.Description(t)))
	mx := m.max()
	for _, tl := range m.Tiles {
		x, y := tileLeft+tl.Col*tileCell, tileTop+tl.Row*tileCell
		tw, th := max(tl.W, 1)*tileCell-tileGap, max(tl.H, 1)*tileCell-tileGap
		fill, ink := zeroFill, "#222"
		switch s := Step(tl.Count, mx); {
		case tl.Hidden:
			fill = hiddenFill
		case s >= 0:
			fill, ink = Scale[s].Fill, Scale[s].Text
		}
		cx := x + tw/2
		cy := y + th/2
		// A hidden count's tile carries neither its count nor its step
		// (which would tell one case from two): only the grey fill.
		if tl.Hidden {
			fmt.Fprintf(&b, `<g class="tile"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="#555" stroke-width="1"/>`,
				x, y, tw, th, fill)
		} else {
			fmt.Fprintf(&b, `<g class="tile"><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="#555" stroke-width="1" data-count="%d" data-step="%d"/>`,
				x, y, tw, th, fill, tl.Count, Step(tl.Count, mx))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="bold" text-anchor="middle" fill="%s">%s</text>`, cx, cy-4, ink, Escape(cut(tl.Short, tileShort)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="%s">%s</text></g>`+"\n", cx, cy+14, ink, Escape(m.shown(tl.Count, tl.Hidden, t)))
	}
	// The legend: the five steps, from the smallest count to the largest.
	ly := h - tileLegend + 8
	if mx > 0 {
		fmt.Fprintf(&b, `<g class="legend"><text x="%d" y="%d" font-size="12" fill="#222">1</text>`, tileLeft, ly+13)
		for i, s := range Scale {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="28" height="16" fill="%s" stroke="#555" stroke-width="1"/>`, tileLeft+16+i*30, ly, s.Fill)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#222">%d</text></g>`+"\n", tileLeft+16+len(Scale)*30+4, ly+13, mx)
	}
	b.WriteString("</svg>")
	return b.String()
}

// Table returns the HTML table the map is drawn from: every tile, then
// the rows without a tile.
func (m TileMap) Table(t Text) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<table class=\"chart-data\" id=\"%s-table\">\n<caption>%s</caption>\n", safeID(m.ID), Escape(m.Title))
	fmt.Fprintf(&b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", Escape(m.LabelCol), Escape(t.CasesCol))
	for _, tl := range m.Tiles {
		fmt.Fprintf(&b, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", Escape(tl.Label), Escape(m.shown(tl.Count, tl.Hidden, t)))
	}
	for _, r := range m.Rest {
		fmt.Fprintf(&b, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", Escape(r.Label), Escape(m.shown(r.Count, r.Hidden, t)))
	}
	b.WriteString("</tbody>\n</table>")
	return b.String()
}

// Figure returns the map as an HTML <figure> with its table.
func (m TileMap) Figure(t Text) string {
	return "<figure class=\"chart-figure\" id=\"" + safeID(m.ID) + "\">\n" + m.InlineSVG(t) + "\n" + m.Table(t) + "\n</figure>"
}
