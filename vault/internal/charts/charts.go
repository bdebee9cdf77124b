// Package charts draws bar charts as static, accessible SVG, from counts to
// markup, with no script: each chart is an <svg role="img"> labelled by its
// own <title> and <desc>, and comes with the HTML table it is drawn from.
// It is pure (no files, no clock) and knows nothing of vaults or cases:
// vault/publish hands it the counts of a publication, `casevault stats
// --format svg|html` those of the owner's vault.
package charts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Bar is one value of a chart and the number of cases with it.
type Bar struct {
	Label string
	Count int
	// Hidden says the count is below the chart's threshold: the bar is
	// drawn as a stub and the number is shown as "fewer than N".
	Hidden bool
}

// A Chart is a horizontal bar chart.
type Chart struct {
	// ID is unique on its page: it prefixes the IDs the SVG's
	// aria-labelledby points to. Letters, digits and "-" only.
	ID string
	// Title names the chart; LabelCol heads the table's first column.
	Title, LabelCol string
	Bars            []Bar
	// Below is the threshold the counts were hidden under (0: none).
	Below int
}

// Geometry of a chart, in SVG user units. Each bar has its label on a line
// above it, so that long labels need no room beside the bars and a chart
// stays readable when a phone scales it down.
const (
	Width     = 420 // of the whole chart: about a phone's width, so that text keeps its size there
	barLeft   = 8
	plotWidth = 320 // the longest bar
	rowHeight = 44
	barHeight = 16
	labelRune = 50 // labels longer than this are cut in the SVG (the table has them whole)
	stubWidth = 4  // the bar of a hidden count
	topMargin = 8
)

// Bars turns counts into bars, hiding each count that is above zero and
// below the threshold below (0 hides none). none is the label of the value
// "" (the cases without one).
func Bars(values []string, counts []int, below int, none string) []Bar {
	out := make([]Bar, 0, len(values))
	for i, v := range values {
		if v == "" {
			v = none
		}
		n := counts[i]
		out = append(out, Bar{Label: v, Count: n, Hidden: below > 0 && n > 0 && n < below})
	}
	return out
}

// shown is a bar's count as the chart and table show it.
func (c Chart) shown(b Bar, t Text) string {
	if b.Hidden {
		return fmt.Sprintf(t.FewerThan, c.Below)
	}
	return strconv.Itoa(b.Count)
}

// max is the largest count drawn to scale.
func (c Chart) max() int {
	m := 0
	for _, b := range c.Bars {
		if !b.Hidden {
			m = max(m, b.Count)
		}
	}
	return m
}

// BarWidth is the length of the bar of b in c: proportional to its count,
// the largest count taking the whole plot width; a hidden count gets a stub.
func (c Chart) BarWidth(b Bar) float64 {
	if b.Hidden {
		return stubWidth
	}
	m := c.max()
	if m == 0 || b.Count <= 0 {
		return 0
	}
	return math.Round(float64(b.Count)*plotWidth/float64(m)*100) / 100
}

// Height is the height of c's SVG.
func (c Chart) Height() int { return topMargin + max(len(c.Bars), 1)*rowHeight }

// Description is the text of the chart's <desc>: what it shows and its
// largest bar, for a reader who cannot see it.
func (c Chart) Description(t Text) string {
	best := -1
	for i, b := range c.Bars {
		if !b.Hidden && (best < 0 || b.Count > c.Bars[best].Count) {
			best = i
		}
	}
	if best < 0 {
		return fmt.Sprintf(t.DescEmpty, c.Title) + " " + t.TableNote
	}
	b := c.Bars[best]
	return fmt.Sprintf(t.Desc, c.Title, len(c.Bars), b.Label, c.shown(b, t)) + " " + t.TableNote
}

// SVG returns c as an <svg> element with the SVG namespace, for an SVG
// file.
func (c Chart) SVG(t Text) string {
	return c.svg(t, ` xmlns="http://www.w3.org/2000/svg"`)
}

// InlineSVG returns c as an <svg> element to stand inline in HTML, where
// the parser gives it the SVG namespace (so the page names no address).
func (c Chart) InlineSVG(t Text) string { return c.svg(t, "") }

func (c Chart) svg(t Text, ns string) string {
	var b strings.Builder
	id := safeID(c.ID)
	h := c.Height()
	fmt.Fprintf(&b, `<svg%s class="chart" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %d %d" width="%d" height="%d">`,
		ns, id, id, Width, h, Width, h)
	fmt.Fprintf(&b, "\n<title id=\"%s-t\">%s</title>\n<desc id=\"%s-d\">%s</desc>\n", id, Escape(c.Title), id, Escape(c.Description(t)))
	for i, bar := range c.Bars {
		y := topMargin + i*rowHeight
		w := c.BarWidth(bar)
		label := cut(bar.Label, labelRune)
		fmt.Fprintf(&b, `<g class="bar"><text x="%d" y="%d" font-size="14" fill="#222">%s</text>`, barLeft, y+14, Escape(label))
		fill := "#2b5d8a"
		if bar.Hidden {
			fill = "#8a8a8a"
		}
		// A hidden count's bar carries no number: a stub, grey, the same
		// for one case as for two, so that nothing in the markup tells
		// them apart.
		if bar.Hidden {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"/>`, barLeft, y+20, num(w), barHeight, fill)
		} else {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s" data-count="%d"/>`, barLeft, y+20, num(w), barHeight, fill, bar.Count)
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="13" fill="#222">%s</text></g>`+"\n", num(float64(barLeft)+w+6), y+33, Escape(c.shown(bar, t)))
	}
	b.WriteString("</svg>")
	return b.String()
}

// Table returns the HTML table c is drawn from, with the title as its
// caption.
func (c Chart) Table(t Text) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<table class=\"chart-data\" id=\"%s-table\">\n<caption>%s</caption>\n", safeID(c.ID), Escape(c.Title))
	fmt.Fprintf(&b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", Escape(c.LabelCol), Escape(t.CasesCol))
	for _, bar := range c.Bars {
		fmt.Fprintf(&b, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", Escape(bar.Label), Escape(c.shown(bar, t)))
	}
	b.WriteString("</tbody>\n</table>")
	return b.String()
}

// Figure returns c as an HTML <figure>: the inline SVG and its table next
// to it.
func (c Chart) Figure(t Text) string {
	return "<figure class=\"chart-figure\" id=\"" + safeID(c.ID) + "\">\n" + c.InlineSVG(t) + "\n" + c.Table(t) + "\n</figure>"
}

// Escape makes s safe as text or an attribute value in both XML and HTML:
// markup characters become entities, and characters XML 1.0 forbids
// (most controls, unpaired surrogates, invalid UTF-8, U+FFFE/U+FFFF)
// become U+FFFD, so that the SVG stays well-formed whatever a case says.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError && size == 1, r < 0x20, r >= 0x7f && r < 0xa0, r == 0xFFFE, r == 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cut shortens s to n runes, ending it with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// safeID keeps letters, digits and "-" of id.
func safeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
