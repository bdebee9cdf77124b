package schema

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestNormalizeArticle(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// The forms of the issue.
		{"207.3 ч.2", "RU-CC 207.3(2)"},
		{"ст. 207.3 ч. 2 УК РФ", "RU-CC 207.3(2)"},
		{"207.3(2)", "RU-CC 207.3(2)"},
		{"207.3 part 2", "RU-CC 207.3(2)"},
		// More ways of writing it.
		{"ч. 2 ст. 207.3 УК РФ", "RU-CC 207.3(2)"},
		{"часть 2 статьи 207.3 Уголовного кодекса Российской Федерации", "RU-CC 207.3(2)"},
		{"Art. 207.3 (2) of the Criminal Code of the Russian Federation", "RU-CC 207.3(2)"},
		{"Article 207.3, part 2", "RU-CC 207.3(2)"},
		{"  207.3\u00a0ч.2  ", "RU-CC 207.3(2)"},
		{"275", "RU-CC 275"},
		{"ст. 275 УК", "RU-CC 275"},
		{"284.1(1)", "RU-CC 284.1(1)"},
		{"п. «а» ч. 2 ст. 105 УК РФ", "RU-CC 105(2)(а)"},
		{"105(2)(а)", "RU-CC 105(2)(а)"},
		{"ч.02 ст.207.3", "RU-CC 207.3(2)"},
		// The Code of Administrative Offences.
		{"ст. 20.3.3 ч. 1 КоАП РФ", "RU-CAO 20.3.3(1)"},
		{"20.3.3(1) Code of Administrative Offences", "RU-CAO 20.3.3(1)"},
		{"ч. 1 ст. 20.3.3 Кодекса РФ об административных правонарушениях", "RU-CAO 20.3.3(1)"},
		{"20.2 КоАП", "RU-CAO 20.2"},
		// Already normalised.
		{"RU-CC 207.3(2)", "RU-CC 207.3(2)"},
		{"RU-CAO 20.3.3(1)", "RU-CAO 20.3.3(1)"},
		// Not one article: refused.
		{"", ""},
		{"treason", ""},
		{"207.3 и 280.3", ""},
		{"ст.ст. 207.3, 280.3", ""},
		{"207.3 ч. 2 ч. 3", ""},
		{"20.3.3 КоАП, 207.3 УК", ""},
		{"ст. 20.3.3 УК РФ КоАП", ""},
		{"п. а ст. 105", ""}, // a clause without a part
		{"ч. 0 ст. 105", ""},
		{"Article 12 of the Constitution (freedom)", ""},
	} {
		got, ok := NormalizeArticle(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalizeArticle(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestNormalizeCharge(t *testing.T) {
	for _, tc := range []struct{ code, in, want string }{
		{"RU-CAO", "20.3.3 ч.1", "RU-CAO 20.3.3(1)"},
		{"RU-CC", "207.3(2)", "RU-CC 207.3(2)"},
		{"", "207.3(2)", "RU-CC 207.3(2)"},
		{"RU-CAO", "ст. 207.3 УК РФ", ""}, // the code field and the text disagree
		{"other", "207.3(2)", ""},
	} {
		got, ok := NormalizeCharge(tc.code, tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalizeCharge(%q, %q) = %q, %v; want %q", tc.code, tc.in, got, ok, tc.want)
		}
	}
}

// TestNormalizeArticleProperties checks on arbitrary text that
// NormalizeArticle never panics, that its result is a fixed point, and
// that it never loses or changes the article number: the number of the
// result is written in the text.
func TestNormalizeArticleProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.OneOf(
			rapid.String(),
			rapid.StringOf(rapid.RuneFrom([]rune("0123456789.() чстпукКоАПРФpartArticle«»а,"))),
			articleText(),
		).Draw(t, "text")
		norm, ok := NormalizeArticle(in)
		if !ok {
			if norm != "" {
				t.Fatalf("NormalizeArticle(%q) = %q but not ok", in, norm)
			}
			return
		}
		again, ok2 := NormalizeArticle(norm)
		if !ok2 || again != norm {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, norm, again, ok2)
		}
		code, rest, _ := strings.Cut(norm, " ")
		if code != CodeCriminal && code != CodeAdministrative {
			t.Fatalf("NormalizeArticle(%q) = %q: unknown code", in, norm)
		}
		number, _, _ := strings.Cut(rest, "(")
		if !strings.Contains(in, number) {
			t.Fatalf("NormalizeArticle(%q) = %q: the article number %q is not in the text", in, norm, number)
		}
	})
}

// articleText generates an article written in one of the ways lawyers
// write one, and checks that it normalises to what it was made from.
func articleText() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		number := fmt.Sprint(rapid.IntRange(1, 999).Draw(t, "article"))
		for range rapid.IntRange(0, 2).Draw(t, "dots") {
			number += fmt.Sprintf(".%d", rapid.IntRange(1, 99).Draw(t, "sub"))
		}
		part := fmt.Sprint(rapid.IntRange(1, 9).Draw(t, "part"))
		form := rapid.SampledFrom([]string{"%s ч.%s", "ст. %s ч. %s УК РФ", "%s(%s)", "%s part %s", "Art. %s, part %s"}).Draw(t, "form")
		text := fmt.Sprintf(form, number, part)
		want := "RU-CC " + number + "(" + part + ")"
		if got, ok := NormalizeArticle(text); !ok || got != want {
			t.Fatalf("NormalizeArticle(%q) = %q, %v; want %q", text, got, ok, want)
		}
		return text
	})
}
