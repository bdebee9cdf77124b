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
	}
	for _, s := range same {
		if !Confusable("Beta Rights", s) {
			t.Errorf("%q not confusable with %q (skeletons %q, %q)", s, "Beta Rights", Skeleton(s), Skeleton("Beta Rights"))
		}
	}
	// Precision: distinct names stay distinct.
	diff := []string{"Beta Right", "Delta Rights", "Beta Rights Watch", "Memorial", "Бета Права", "Beta-Rights"}
	for _, s := range diff {
		if Confusable("Beta Rights", s) {
			t.Errorf("%q confusable with %q", s, "Beta Rights")
		}
	}
}
