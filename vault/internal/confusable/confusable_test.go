package confusable

import "testing"

func TestLookalikes(t *testing.T) {
	same := []string{
		"Beta\u200b Rights",      // zero width space
		"B\u0435ta Rights",       // Cyrillic е
		"Beta  Rights",           // two spaces
		"beta rights",            // case
		"Beta\u00a0Rights",       // no-break space
		"\u0392eta Rights",       // Greek capital beta
		"Beta Rights\ufe0f",      // variation selector
		"Bet\u0061\u00ad Rights", // soft hyphen
		"Ｂｅｔａ Ｒｉｇｈｔｓ",            // fullwidth
		"BETA RIGHTS",            // case
		"Beta R\u0456ghts",       // Cyrillic і
		// issue 11, attack 05
		"Beta Rights\u2800", // braille pattern blank
		"Beta\u3164Rights",  // hangul filler
		"Beta Righ\u0323ts", // combining dot below
		"Beta Rights\u05c1", // Hebrew point (Mn)
		"Beta\u2014Rights",  // em dash
		"Beta Rights.",      // trailing full stop
		"Beta Rights,",      // trailing comma
		"Beta Rights\u00b7", // middle dot
		"BetaRights",        // joined words
		"Beta-Rights",       // hyphen
	}
	for _, s := range same {
		if !Confusable("Beta Rights", s) {
			t.Errorf("%q not confusable with %q (skeletons %q, %q)", s, "Beta Rights", Skeleton(s), Skeleton("Beta Rights"))
		}
	}
	// Precision: distinct names stay distinct.
	diff := []string{"Beta Right", "Delta Rights", "Beta Rights Watch", "Memorial", "Бета Права", "Beta Rights 2", "Alpha Rights"}
	for _, s := range diff {
		if Confusable("Beta Rights", s) {
			t.Errorf("%q confusable with %q", s, "Beta Rights")
		}
	}
}
