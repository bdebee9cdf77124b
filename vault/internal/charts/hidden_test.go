package charts

import (
	"strings"
	"testing"
)

// TestHiddenOneLooksLikeTwo: on a chart and a map, a value of one case
// and a value of two below the threshold give the same markup, byte for
// byte: no data-count, no colour step, no width, no text tells them apart.
func TestHiddenOneLooksLikeTwo(t *testing.T) {
	chart := func(a, b int) string {
		c := Chart{ID: "region", Title: English.Region, LabelCol: English.RegionCol, Below: 3,
			Bars: Bars([]string{"Omsk", "Tomsk", "Moscow"}, []int{a, b, 9}, 3, English.None)}
		return c.Figure(English) + c.SVG(English)
	}
	if one, two := chart(1, 1), chart(2, 2); one != two {
		t.Errorf("a hidden bar of one case differs from one of two:\n%s\n---\n%s", one, two)
	}
	tiles := func(a, b int) string {
		m := testMap([]string{"Central", "Volga", "Ural"}, []int{a, b, 9}, 3, "Prisoners by district")
		m.Rest = []Bar{{Label: English.None, Count: a, Hidden: true}}
		return m.Figure(English) + m.SVG(English)
	}
	if one, two := tiles(1, 1), tiles(2, 2); one != two {
		t.Errorf("a hidden tile of one case differs from one of two:\n%s\n---\n%s", one, two)
	}
	// Shown counts keep their number for whoever reads the markup.
	if c := chart(1, 2); !contains(c, `data-count="9"`) {
		t.Errorf("the shown bar lost its count:\n%s", c)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
