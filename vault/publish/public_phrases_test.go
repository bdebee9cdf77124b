package publish

import (
	"errors"
	"testing"
)

// TestPublicPhrases: four words of a note that quote a label which two
// published cases publish (their shared facility) are no leak; the same
// four words published as one case's label only, or in a summary, are
// a copy of the note and refused. (A note copied into label fields of
// two published cases is the known limit: SECURITY.md.)
func TestPublicPhrases(t *testing.T) {
	const facility = "Temporary detention centre of the police, Murmansk"
	const note = "Visited him at the Temporary detention centre of the police, Murmansk; he is unwell and asks for a doctor."
	const leak = "temporary detention centre of the police, Murmansk"
	base := loadCase(t, "testdata/adversarial/001-invisible.yaml")
	mk := func(name, fac, summary string) Source {
		c := setField(t, base, "detention[0].facility", fac)
		c = setField(t, c, "person.name", name)
		c = setField(t, c, "person.name_native", "")
		c = setField(t, c, "notes", note)
		c = setField(t, c, "publication.summary", summary)
		return source(name, c)
	}
	phraseHits := func(srcs []Source) int {
		set, err := Prepare(testOrg, srcs, Options{Review: true})
		if err != nil {
			var le *LeakError
			if !errors.As(err, &le) {
				t.Fatal(err)
			}
		}
		n := 0
		for _, h := range set.Hits {
			if h.Strength == "phrase" {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name       string
		srcs       []Source
		wantPhrase bool
	}{
		{"shared facility quoted by the notes", []Source{
			mk("Ivan Petrov", facility, "A teacher."), mk("Oleg Sidorov", facility, "A student.")}, false},
		{"one case's facility only", []Source{
			mk("Ivan Petrov", facility, "A teacher."), mk("Oleg Sidorov", "SIZO-2, Tver", "A student.")}, true},
		{"note copied into a summary", []Source{
			mk("Ivan Petrov", "SIZO-2, Tver", "A teacher."), mk("Oleg Sidorov", "SIZO-2, Tver", "Held in the "+leak+".")}, true},
		{"note copied into two summaries", []Source{
			mk("Ivan Petrov", "SIZO-2, Tver", "Held in the "+leak+"."), mk("Oleg Sidorov", "SIZO-2, Tver", "Held in the "+leak+".")}, true},
	} {
		if got := phraseHits(tc.srcs) > 0; got != tc.wantPhrase {
			t.Errorf("%s: phrase hit %v, want %v", tc.name, got, tc.wantPhrase)
		}
	}
}
