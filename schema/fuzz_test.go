package schema

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, and that a case it accepts
// survives the trip through Canonical and FromJSON unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte("person: {name: X}\n"))
	f.Add(Template())
	f.Add([]byte("person: {name: X, birth_date: 1999}\ncharges:\n  - article: 207.30\n  - article: &a 275\n  - article: *a\n"))
	f.Add([]byte("person:\n  name: X\nnotes: Beta: lawyer visit\n"))
	f.Add([]byte("person:\n  aliases:\n    - a\n   - b\n\tregion: \"x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		canon := c.Canonical()
		stored, err := FromJSON(canon)
		if err != nil {
			t.Fatalf("FromJSON(Canonical()) of an accepted case: %v\n%s", err, canon)
		}
		if !bytes.Equal(stored.Canonical(), canon) {
			t.Fatalf("Canonical() changed through FromJSON:\n%s\n%s", canon, stored.Canonical())
		}
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(Canonical()) of an accepted case: %v\n%s", err, canon)
		}
		if !bytes.Equal(again.Canonical(), canon) {
			t.Fatalf("Canonical() changed through Parse:\n%s\n%s", canon, again.Canonical())
		}
		c.Filter(func(string, Level) bool { return true })
	})
}

// FuzzNormalizeArticle checks that NormalizeArticle never panics, that
// its result is a fixed point, and that the article number of the result
// is written in the text.
func FuzzNormalizeArticle(f *testing.F) {
	for _, s := range []string{"ст. 207.3 ч. 2 УК РФ", "п. «а» ч. 2 ст. 105", "20.3.3(1) КоАП", "RU-CC 207.3(2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		norm, ok := NormalizeArticle(text)
		if !ok {
			return
		}
		if again, ok := NormalizeArticle(norm); !ok || again != norm {
			t.Fatalf("not idempotent: %q -> %q -> %q", text, norm, again)
		}
		_, rest, _ := strings.Cut(norm, " ")
		if number, _, _ := strings.Cut(rest, "("); !strings.Contains(text, number) {
			t.Fatalf("%q -> %q: the number is not in the text", text, norm)
		}
	})
}
