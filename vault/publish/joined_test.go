package publish

import (
	"errors"
	"slices"
	"testing"
)

// TestLeakPunctuationInsideName: a name split by punctuation between its
// letters (attack 05) is still the name, and the hit covers the whole
// split word so that --redact masks all of it.
func TestLeakPunctuationInsideName(t *testing.T) {
	anon := loadCase(t, "anonymous") // witness Иванов
	for _, split := range []string{"Iva.nov", "Iva·nov", "Iva_nov", "Iva/nov", "I*va*nov", "Iva—nov", "Iva¬nov", "Iva-\nnov", "Iva-\r\n  nov", "Iva.-nov"} {
		text := "Witness " + split + " saw the beating."
		c := setField(t, anon, "publication.summary", text)
		_, err := Prepare(testOrg, []Source{source("anonymous", c)}, Options{})
		var le *LeakError
		if !errors.As(err, &le) {
			t.Errorf("%q: not refused (%v)", split, err)
			continue
		}
		if !slices.ContainsFunc(le.Hits, func(h Hit) bool {
			return h.Field == "mistreatment[0].witnesses[0]" && h.Match == split
		}) {
			t.Errorf("%q: hits %v, want one matching the whole split word", split, le.Hits)
		}
	}
	// Separate words stay separate: the marks join only letters.
	for _, text := range []string{"Iva. Nov", "Iva - nov", "Iva-nov-", "Iva -\nnov"} {
		n := normalize(text)
		if j, ok := joinedRunes(n); ok {
			t.Errorf("%q joined to %q", text, string(runesOf(j)))
		}
	}
}

func runesOf(n []nrune) []rune {
	out := make([]rune, len(n))
	for i, r := range n {
		out[i] = r.r
	}
	return out
}
