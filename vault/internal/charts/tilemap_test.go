package charts

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func testMap(labels []string, counts []int, below int, title string) TileMap {
	m := TileMap{ID: "map", Title: title, LabelCol: "District", Below: below,
		Desc: "Schematic map: %s. The largest is %s with %s.", DescEmpty: "Schematic map: %s. Nothing."}
	for i, l := range labels {
		n := counts[i]
		m.Tiles = append(m.Tiles, Tile{Label: l, Short: l, Count: n, Hidden: below > 0 && n > 0 && n < below, Col: i % 5, Row: i / 5, W: 1, H: 1})
	}
	return m
}

// TestTileMapAccessible: the map is an image named by its title and
// described by its desc, which names the largest tile; each tile's shade
// steps with its count, the largest darkest; a hidden count is grey and
// written "fewer than N" on the map and in the table.
func TestTileMapAccessible(t *testing.T) {
	m := testMap([]string{"Central", "Volga", "Ural", "Far East"}, []int{40, 10, 2, 0}, 3, "Prisoners by district")
	svg := m.SVG(English)
	info := parseSVG(t, svg)
	if info.role != "img" {
		t.Fatalf("role %q", info.role)
	}
	ids := strings.Fields(info.labelledBy)
	if len(ids) != 2 || info.ids[ids[0]] != "Prisoners by district" || !strings.Contains(info.ids[ids[1]], "The largest is Central with 40.") {
		t.Fatalf("labelled by %q: %v", info.labelledBy, info.ids)
	}
	for _, want := range []string{`data-count="40" data-step="4"`, `data-count="10" data-step="1"`, `fill="` + hiddenFill + `" stroke="#555" stroke-width="1"/>`, `fill="` + zeroFill + `"`, ">fewer than 3<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("map lacks %s:\n%s", want, svg)
		}
	}
	table := m.Table(English)
	if !strings.Contains(table, "<th scope=\"row\">Ural</th><td>fewer than 3</td>") || strings.Contains(table, ">2<") {
		t.Errorf("table:\n%s", table)
	}
	empty := testMap([]string{"A"}, []int{0}, 3, "T")
	if d := empty.Description(English); !strings.HasPrefix(d, "Schematic map: T. Nothing.") {
		t.Errorf("empty map described %q", d)
	}
	for n := 1; n <= 20; n++ {
		if s := Step(n, 20); s < 0 || s > 4 || (n == 20 && s != 4) || (n > 1 && s < Step(n-1, 20)) {
			t.Fatalf("Step(%d, 20) = %d", n, s)
		}
	}
}

// TestAnyTextValidMap: whatever the labels, title and counts, the map and
// its table are well-formed XML and the title reads back as given.
func TestAnyTextValidMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune("<>&\"'\x00\x1b\u202e\ufffe]]>-!%"))),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }))
		n := rapid.IntRange(0, 10).Draw(t, "n")
		labels, counts := make([]string, n), make([]int, n)
		for i := range n {
			labels[i] = text.Draw(t, "label")
			counts[i] = rapid.IntRange(0, 100000).Draw(t, "count")
		}
		m := testMap(labels, counts, rapid.IntRange(0, 5).Draw(t, "below"), text.Draw(t, "title"))
		m.Rest = []Bar{{Label: text.Draw(t, "rest"), Count: 1, Hidden: true}}
		info := parseSVG(t, m.SVG(English))
		ids := strings.Fields(info.labelledBy)
		if info.role != "img" || len(ids) != 2 {
			t.Fatalf("role %q labelledby %q", info.role, info.labelledBy)
		}
		if got := info.ids[ids[0]]; got != unescaped(m.Title) {
			t.Fatalf("title %q, want %q", got, unescaped(m.Title))
		}
		if len(info.rects) != n {
			t.Fatalf("%d tiles for %d counts", len(info.rects), n)
		}
		parseSVG(t, "<div>"+m.Figure(English)+"</div>")
	})
}

func FuzzTileMap(f *testing.F) {
	f.Add("Central", "<script>alert(1)</script>", 3)
	f.Add("\x00\xff]]>", "&amp;", 0)
	f.Fuzz(func(t *testing.T, label, title string, count int) {
		m := testMap([]string{label, "x"}, []int{count, 1}, 3, title)
		parseSVG(t, m.SVG(English))
		parseSVG(t, "<div>"+m.Figure(English)+"</div>")
	})
}
