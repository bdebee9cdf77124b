package schema

import (
	"testing"
)

func TestNormalizeCharges(t *testing.T) {
	c, err := Parse([]byte(`person: {name: Ivan}
charges:
  - article: "ст. 207.3 ч. 2 УК РФ"
  - article: "207.3(2)"
    code: RU-CC
  - code: RU-CAO
    article: "20.3.3 ч.1"
  - article: "treason and more"
  - article: "275"
    code: RU-CC
    article_original: "ст. 280.3"
`))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.NormalizeCharges(); n != 3 {
		t.Errorf("NormalizeCharges changed %d charges, want 3", n)
	}
	want := []map[string]any{
		{"code": "RU-CC", "article": "207.3(2)", "article_original": "ст. 207.3 ч. 2 УК РФ"},
		{"code": "RU-CC", "article": "207.3(2)"}, // already in its form
		{"code": "RU-CAO", "article": "20.3.3(1)", "article_original": "20.3.3 ч.1"},
		{"article": "treason and more"},
		{"code": "RU-CC", "article": "275"}, // the stale original is dropped
	}
	got := c.Doc["charges"].([]any)
	for i, w := range want {
		g := got[i].(map[string]any)
		if len(g) != len(w) {
			t.Errorf("charge %d = %v, want %v", i, g, w)
			continue
		}
		for k, v := range w {
			if g[k] != v {
				t.Errorf("charge %d: %s = %v, want %v", i, k, g[k], v)
			}
		}
	}
	if err := c.Validate(); err != nil {
		t.Errorf("normalised case does not validate: %v", err)
	}
	if n := c.NormalizeCharges(); n != 0 {
		t.Errorf("second NormalizeCharges changed %d", n)
	}
}
