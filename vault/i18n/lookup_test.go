package i18n

import "testing"

// TestLookupOnly: the case form's and the charts' texts are found by their
// ID, never by their English text, so that "public" or "Status" printed by
// another command keeps the translation of its own message.
func TestLookupOnly(t *testing.T) {
	for _, s := range []string{"Go back and change it", "Cases in charts", "Next"} {
		if id, ok := English(s); ok {
			t.Errorf("English(%q) = %s: a form or chart text is taken for a message", s, id)
		}
	}
	if id, ok := English("public"); !ok || id != "vocab.level.public" {
		t.Errorf("English(public) = %q, %v; want vocab.level.public", id, ok)
	}
	if got := T("ru", "form.summary.back", nil); got != "Вернуться и изменить" {
		t.Errorf("form.summary.back in ru = %q", got)
	}
}
