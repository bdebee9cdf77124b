package publish

import "testing"

// TestLeakPatternForms: the e-mail and phone disguises of attack 07.
func TestLeakPatternForms(t *testing.T) {
	for _, tc := range []struct{ text, kind string }{
		{"Write to olena.kd(a)example.org please.", "e-mail address"},
		{"Write to olena.kd on example.org please.", "e-mail address"},
		{"Пишите olena.kd на example.org.", "e-mail address"},
		{"Write to olena on example dot org.", "e-mail address"},
		{"Call 8 9l2 345 67 89.", "phone number"},
		{"Call +79I23456789.", "phone number"},
	} {
		hits := findPatterns(tc.text, normalize(tc.text))
		if len(hits) != 1 || hits[0].hit.Field != tc.kind {
			t.Errorf("%q: %v, want one %s", tc.text, hits, tc.kind)
		}
	}
	for _, clean := range []string{
		"The verdict was reported on meduza.io and on ovd.info.",
		"He relied on example.org for news.",
		"Article 2l0 does not exist; cell l4.",
	} {
		if hits := findPatterns(clean, normalize(clean)); len(hits) != 0 {
			t.Errorf("%q: false alarm %v", clean, hits)
		}
	}
}

// TestIBANInGroups: an IBAN written in groups of four is one digit run,
// the one its secret value is searched by.
func TestIBANInGroups(t *testing.T) {
	secret := "Suffers from diabetes; passport 4512 345678; IBAN DE89370400440532013000"
	want := valueDigits(secret, tokenize(secret))
	text := "IBAN DE89 3704 0044 0532 0130 00"
	found := false
	for _, r := range digitRuns(text, tokenize(text)) {
		for _, w := range want {
			found = found || r.digits == w && w == "89370400440532013000"
		}
	}
	if !found {
		t.Errorf("%q: no run equal to the secret's %v", text, want)
	}
}
