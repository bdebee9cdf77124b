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

// TestLeakSpellingGaps: spellings of attack 14 — Belarusian ў, French
// transliteration, an English plural/possessive -s, letters with hooks,
// digits written for letters.
func TestLeakSpellingGaps(t *testing.T) {
	for _, pair := range [][2]string{{"Саўчук", "Савчук"}, {"Savtchouk", "Savchuk"}, {"Savchuƙ", "Savchuk"}, {"Ɗmitry", "Dmitry"}, {"Ƴuri", "Yuri"}, {"Ħasan", "Hasan"}} {
		if a, b := skeleton(pair[0]), skeleton(pair[1]); a != b {
			t.Errorf("skeleton(%s) = %q, skeleton(%s) = %q", pair[0], a, pair[1], b)
		}
	}
	anon := loadCase(t, "anonymous") // witness Иванов, perpetrator Дмитрий Козлов
	for _, tc := range []struct{ summary, want string }{
		{"The Ivanovs saw the beating.", "mistreatment[0].witnesses[0]"},
		{"Iv4nov saw the beating.", "mistreatment[0].witnesses[0]"},
		{"Investigator Dm1try K0zlov threatened her.", "mistreatment[0].perpetrators[0]"},
		{"Investigator Koz1ov threatened her.", "mistreatment[0].perpetrators[0]"},
		{"Investigator Kozlov threatened her.", "mistreatment[0].perpetrators[0]"},
	} {
		c := setField(t, anon, "publication.summary", tc.summary)
		_, err := Prepare(testOrg, []Source{source("anonymous", c)}, Options{})
		var le *LeakError
		if !errors.As(err, &le) {
			t.Errorf("%q: not refused (%v)", tc.summary, err)
			continue
		}
		if !slices.ContainsFunc(le.Hits, func(h Hit) bool { return h.Field == tc.want }) {
			t.Errorf("%q: hits %v, want one for %s", tc.summary, le.Hits, tc.want)
		}
	}
	// Digits are letters only inside a word of three letters or more.
	for _, text := range []string{"cell 14", "IK-7", "A1B", "207.3(2)"} {
		if l, ok := leetRunes(normalize(text), 'i'); ok {
			t.Errorf("%q read as %q", text, string(runesOf(l)))
		}
	}
}
