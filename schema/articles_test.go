package schema

import "testing"

// TestArticlesNormalised checks that every article of the picker is
// written in the one form NormalizeCharge gives, is listed once, has both
// titles, and is found again by LookupArticle with a part.
func TestArticlesNormalised(t *testing.T) {
	seen := map[string]bool{}
	list := Articles()
	if len(list) < 30 {
		t.Fatalf("only %d articles", len(list))
	}
	for _, a := range list {
		norm, ok := NormalizeCharge(a.Code, a.Article)
		if !ok || norm != a.Norm() {
			t.Errorf("%s: NormalizeCharge gives %q, %v", a.Norm(), norm, ok)
		}
		if seen[a.Norm()] {
			t.Errorf("%s listed twice", a.Norm())
		}
		seen[a.Norm()] = true
		if a.Title == "" || a.TitleRU == "" {
			t.Errorf("%s: a title is missing", a.Norm())
		}
		if got, ok := LookupArticle(a.Norm() + "(2)"); !ok || got != a {
			t.Errorf("LookupArticle(%s(2)) = %v, %v", a.Norm(), got, ok)
		}
	}
	for _, want := range []string{"RU-CC 205.2", "RU-CC 207.3", "RU-CC 280.3", "RU-CC 275", "RU-CC 212", "RU-CC 282.2", "RU-CC 284.1", "RU-CC 354.1", "RU-CC 318", "RU-CAO 20.3.3", "RU-CAO 20.2"} {
		if !seen[want] {
			t.Errorf("%s is not offered", want)
		}
	}
	if _, ok := LookupArticle("RU-CC 999"); ok {
		t.Error("LookupArticle found an article that is not listed")
	}
}
