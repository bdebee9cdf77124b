package charts

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// Style is the CSS of a page of charts: the charts scale down to the width
// of a phone, and each table sits next to its chart where there is room.
const Style = `.chart-figure{margin:1.5rem 0;display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.chart-figure svg.chart{width:34rem;max-width:100%;height:auto;flex:0 1 auto}
.chart-data{border-collapse:collapse;flex:0 1 18rem;width:auto;min-width:14rem}
.chart-data caption{text-align:left;font-weight:bold;padding-bottom:.25rem}
.chart-data th,.chart-data td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left;overflow-wrap:anywhere}
.chart-data td{text-align:right;white-space:nowrap}`

// Document returns charts as one standalone SVG file, one chart under the
// other, each keeping its own title and description; desc describes the
// whole (escaped).
//
// maps are drawn after the charts (schematic maps, tilemap.go).
func Document(title, desc string, charts []Chart, t Text, maps ...TileMap) []byte {
	var b strings.Builder
	h := 40
	for _, c := range charts {
		h += c.Height() + 24
	}
	for _, m := range maps {
		_, mh := m.Size()
		h += mh + 24
	}
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="doc-t doc-d">`+"\n<title id=\"doc-t\">%s</title>\n<desc id=\"doc-d\">%s</desc>\n",
		Width, h, Width, h, Escape(title), Escape(desc))
	fmt.Fprintf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<text x=\"8\" y=\"26\" font-size=\"20\" font-weight=\"bold\" fill=\"#222\">%s</text>\n", Width, h, Escape(title))
	y := 40
	for _, c := range charts {
		fmt.Fprintf(&b, "<text x=\"8\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">%s</text>\n", y+16, Escape(c.Title))
		svg := c.SVG(t)
		// Nested charts are placed by x and y on their root element.
		svg = strings.Replace(svg, "<svg ", fmt.Sprintf(`<svg x="0" y="%d" `, y+20), 1)
		b.WriteString(svg)
		b.WriteByte('\n')
		y += c.Height() + 24
	}
	for _, m := range maps {
		fmt.Fprintf(&b, "<text x=\"8\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">%s</text>\n", y+16, Escape(m.Title))
		b.WriteString(strings.Replace(m.SVG(t), "<svg ", fmt.Sprintf(`<svg x="0" y="%d" `, y+20), 1))
		b.WriteByte('\n')
		_, mh := m.Size()
		y += mh + 24
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// Page returns charts as one HTML page that needs nothing else: no script,
// a Content-Security-Policy that allows only its own style, each chart
// with its table. intro is a paragraph of text under the heading (escaped).
//
// maps follow the charts, each with its table.
func Page(title, intro string, charts []Chart, t Text, maps ...TileMap) []byte {
	h := sha256.Sum256([]byte(Style + pageStyle))
	csp := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'; base-uri 'none'; form-action 'none'"
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\""+pageLang(t)+"\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"+
		"<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n",
		csp, Escape(title), Style+pageStyle, Escape(title))
	if intro != "" {
		fmt.Fprintf(&b, "<p>%s</p>\n", Escape(intro))
	}
	for _, c := range charts {
		fmt.Fprintf(&b, "<h2>%s</h2>\n%s\n", Escape(c.Title), c.Figure(t))
	}
	for _, m := range maps {
		fmt.Fprintf(&b, "<h2>%s</h2>\n%s\n", Escape(m.Title), m.Figure(t))
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	return []byte(b.String())
}

const pageStyle = `
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#222;background:#fff}`

// pageLang is the lang attribute of a page in the language of t.
func pageLang(t Text) string {
	if t.Lang == "" {
		return "en"
	}
	return t.Lang
}
