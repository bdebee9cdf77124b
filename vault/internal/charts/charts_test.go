package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// svgInfo is what a reader of an SVG checks: its root's accessibility
// attributes, the title and description they point to, and its bars.
type svgInfo struct {
	role, labelledBy string
	ids              map[string]string // element id -> its text
	rects            []struct {
		width float64
		count int
	}
	texts []string
}

// parseSVG parses s as XML (any error fails) and collects svgInfo of its
// first <svg> element with role="img".
type fataler interface {
	Helper()
	Fatalf(string, ...any)
	Errorf(string, ...any)
}

func parseSVG(t fataler, s string) svgInfo {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	info := svgInfo{ids: map[string]string{}}
	var open, classes []string // ids and classes of the open elements
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, s)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			if e.Name.Local == "svg" && attr["role"] == "img" && info.role == "" {
				if _, ok := attr["xmlns"]; ok && e.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("svg element in namespace %q", e.Name.Space)
				}
				info.role, info.labelledBy = attr["role"], attr["aria-labelledby"]
			}
			parent := ""
			if len(classes) > 0 {
				parent = classes[len(classes)-1]
			}
			open, classes = append(open, attr["id"]), append(classes, attr["class"])
			// The rect of a bar or tile (a hidden count's carries no
			// data-count: its count reads 0).
			if e.Name.Local == "rect" && (parent == "bar" || parent == "tile") {
				w, err := strconv.ParseFloat(attr["width"], 64)
				if err != nil {
					t.Fatalf("rect width %q: %v", attr["width"], err)
				}
				n, _ := strconv.Atoi(attr["data-count"])
				info.rects = append(info.rects, struct {
					width float64
					count int
				}{w, n})
			}
		case xml.EndElement:
			depth--
			open, classes = open[:len(open)-1], classes[:len(classes)-1]
		case xml.CharData:
			if len(open) > 0 && open[len(open)-1] != "" {
				info.ids[open[len(open)-1]] += string(e)
			}
			if txt := strings.TrimSpace(string(e)); txt != "" {
				info.texts = append(info.texts, txt)
			}
		}
	}
	return info
}

func TestSVGAccessibleAndProportional(t *testing.T) {
	c := Chart{ID: "status", Title: English.Status, LabelCol: English.StatusCol, Below: 3,
		Bars: Bars([]string{"sentenced", "pretrial", "released", ""}, []int{12, 6, 2, 3}, 3, English.None)}
	svg := c.SVG(English)
	if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg" `) {
		t.Errorf("SVG for a file lacks the SVG namespace: %.60s", svg)
	}
	if strings.Contains(c.Figure(English), "http") {
		t.Error("the inline SVG names an address (the site refers to nothing outside)")
	}
	info := parseSVG(t, svg)
	if info.role != "img" || info.labelledBy != "status-t status-d" {
		t.Fatalf("role %q aria-labelledby %q", info.role, info.labelledBy)
	}
	if info.ids["status-t"] != "Prisoners by status" {
		t.Errorf("title %q", info.ids["status-t"])
	}
	if d := info.ids["status-d"]; !strings.Contains(d, "sentenced with 12") {
		t.Errorf("description %q does not name the largest bar", d)
	}
	if len(info.rects) != 4 {
		t.Fatalf("%d bars, want 4", len(info.rects))
	}
	// Bars drawn to scale: width / count is the same for each shown bar,
	// the largest takes the plot width.
	if info.rects[0].width != plotWidth || info.rects[1].width != plotWidth/2 || info.rects[3].width != plotWidth/4 {
		t.Errorf("bar widths %v, want %d, %d, stub, %d", info.rects, plotWidth, plotWidth/2, plotWidth/4)
	}
	// The hidden count: a stub, and no number.
	if info.rects[2].width != stubWidth {
		t.Errorf("hidden bar is %v wide", info.rects[2].width)
	}
	joined := strings.Join(info.texts, "|")
	if !strings.Contains(joined, "released|fewer than 3") || strings.Contains(joined, "|2|") {
		t.Errorf("hidden count shown as %q", joined)
	}
	if !strings.Contains(joined, "(none)|3") {
		t.Errorf("cases without a value not labelled (none): %q", joined)
	}
	table := c.Table(English)
	for _, want := range []string{"<caption>Prisoners by status</caption>", `<th scope="row">released</th><td>fewer than 3</td>`, `<th scope="row">sentenced</th><td>12</td>`} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %s:\n%s", want, table)
		}
	}
	if strings.Contains(table, "<td>2</td>") {
		t.Error("table shows the hidden count")
	}
}

func TestGolden(t *testing.T) {
	c := Chart{ID: "year", Title: English.Year, LabelCol: English.YearCol,
		Bars: Bars([]string{"2022", "2023"}, []int{4, 1}, 0, English.None)}
	want := `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="year-t year-d" viewBox="0 0 420 96" width="420" height="96">
<title id="year-t">New detentions per year</title>
<desc id="year-d">Bar chart: New detentions per year, 2 bars. The largest is 2022 with 4. The table next to the chart gives every number.</desc>
<g class="bar"><text x="8" y="22" font-size="14" fill="#222">2022</text><rect x="8" y="28" width="320" height="16" fill="#2b5d8a" data-count="4"/><text x="334" y="41" font-size="13" fill="#222">4</text></g>
<g class="bar"><text x="8" y="66" font-size="14" fill="#222">2023</text><rect x="8" y="72" width="80" height="16" fill="#2b5d8a" data-count="1"/><text x="94" y="85" font-size="13" fill="#222">1</text></g>
</svg>`
	if got := c.SVG(English); got != want {
		t.Errorf("SVG:\n%s\nwant:\n%s", got, want)
	}
}

func TestEmptyChart(t *testing.T) {
	c := Chart{ID: "m", Title: "Nothing"}
	info := parseSVG(t, c.SVG(English))
	if !strings.Contains(info.ids["m-d"], "nothing to count") {
		t.Errorf("empty chart described as %q", info.ids["m-d"])
	}
}

// TestAnyTextValidSVG: whatever the labels, titles and counts (control
// characters, invalid UTF-8, markup, quotes), the SVG and the page are
// well-formed, the text a reader gets back is the label (up to the
// characters XML cannot carry), and bars stay proportional.
func TestAnyTextValidSVG(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune("<>&\"'\x00\x1b\u202e\ufffe]]>-!"))),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }))
		n := rapid.IntRange(0, 12).Draw(t, "n")
		values, counts := make([]string, n), make([]int, n)
		for i := range n {
			values[i] = text.Draw(t, "label")
			counts[i] = rapid.IntRange(0, 100000).Draw(t, "count")
		}
		below := rapid.IntRange(0, 5).Draw(t, "below")
		c := Chart{ID: rapid.String().Draw(t, "id"), Title: text.Draw(t, "title"), LabelCol: text.Draw(t, "col"),
			Bars: Bars(values, counts, below, English.None), Below: below}
		svg := c.SVG(English)
		info := parseSVG(t, svg)
		if info.role != "img" {
			t.Fatalf("no role=img in %s", svg)
		}
		ids := strings.Fields(info.labelledBy)
		if len(ids) != 2 {
			t.Fatalf("aria-labelledby %q", info.labelledBy)
		}
		if got := info.ids[ids[0]]; got != Escape(c.Title) && got != unescaped(c.Title) {
			t.Fatalf("title %q, want %q", got, unescaped(c.Title))
		}
		if len(info.rects) != n {
			t.Fatalf("%d bars for %d counts", len(info.rects), n)
		}
		m := c.max()
		for i, r := range info.rects {
			b := c.Bars[i]
			var want float64
			switch {
			case b.Hidden:
				want = stubWidth
			case m > 0:
				want = float64(b.Count) * plotWidth / float64(m)
			}
			if math.Abs(r.width-want) > 0.01 {
				t.Fatalf("bar %d (%d of max %d): width %v, want %v", i, b.Count, m, r.width, want)
			}
		}
		// Tables and pages: the HTML is XML too when written this way.
		page := Page(c.Title, c.Title, []Chart{c}, English)
		body := page[bytes.Index(page, []byte("<main>")) : bytes.Index(page, []byte("</main>"))+len("</main>")]
		parseSVG(t, string(body))
		parseSVG(t, string(Document(c.Title, c.Title, []Chart{c, c}, English)))
	})
}

// unescaped is s as an XML reader gets it back after Escape.
func unescaped(s string) string {
	var b strings.Builder
	d := xml.NewDecoder(strings.NewReader("<a>" + Escape(s) + "</a>"))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
	return b.String()
}

func FuzzSVG(f *testing.F) {
	f.Add("sentenced", "<script>alert(1)</script>", 3)
	f.Add("\x00\xff]]>", "&amp;", 0)
	f.Fuzz(func(t *testing.T, label, title string, count int) {
		c := Chart{ID: "f", Title: title, Bars: Bars([]string{label, "x"}, []int{count, 1}, 3, English.None), Below: 3}
		parseSVG(t, c.SVG(English))
	})
}
