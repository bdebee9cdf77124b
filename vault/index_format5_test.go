package vault

import (
	"slices"
	"strings"
	"testing"
)

// A vault whose index is of format 5, where a common word had the token
// of a name (или and Илья: il~; ему and Эмма: em~; мая and Майя: ma), is
// rebuilt at its first read-write open: Илья, Эмма and Майя then find
// the cases that name them and not the note that only uses the words, as
// opening every case answers too, and each word still finds that note.
func TestFormat5IndexRebuilds(t *testing.T) {
	const orlov, sokolova = "cxtugwd2xbs7qette", "cg34ld64nmq7ibcsr"
	before, _ := migrateFixture(t, "testdata/vault-format5", []fixtureQuery{
		{"Илья", ""}, {"Ilya", ""}, {"или", ""}, {"ИЛИ", ""}, {"Эмма", ""}, {"ему", ""}, {"Майя", ""}, {"мая", ""},
		{"Инна", ""}, {"иные", ""}, {"Элла", ""}, {"ели", ""}, {"Эмма", "notes"}, {`"сказал ему"`, ""},
	})
	has := func(q, id string) bool {
		return slices.ContainsFunc(before[q], func(s string) bool { return strings.HasPrefix(s, id+" ") })
	}
	for _, c := range []struct {
		q       string
		in, out []string
	}{
		{"Илья|", []string{orlov}, nil},
		{"или|", []string{orlov}, nil},
		{"ИЛИ|", []string{orlov}, nil},
		{"Эмма|", []string{orlov, sokolova}, nil}, // Орлов's note names his sister Эмма
		{"ему|", []string{orlov}, []string{sokolova}},
		{"Майя|", []string{sokolova}, []string{orlov}},
		{"мая|", []string{orlov}, []string{sokolova}},
		{"Инна|", []string{sokolova}, []string{orlov}},
		{"иные|", []string{orlov}, []string{sokolova}},
		{"ели|", []string{orlov}, nil},
		{`"сказал ему"|`, []string{orlov}, nil},
	} {
		for _, id := range c.in {
			if !has(c.q, id) {
				t.Errorf("%s does not find %s: %v", c.q, id, before[c.q])
			}
		}
		for _, id := range c.out {
			if has(c.q, id) {
				t.Errorf("%s finds %s: %v", c.q, id, before[c.q])
			}
		}
	}
	// Only the note of Орлов uses или; the generated cases of an Илья do
	// not, so Илья finds more than или, and Элла (no one) finds nothing.
	if len(before["Илья|"]) <= len(before["или|"]) || len(before["или|"]) != 1 || len(before["Элла|"]) != 0 {
		t.Errorf("Илья %v, или %v, Элла %v", before["Илья|"], before["или|"], before["Элла|"])
	}
}
