package confusables_test

import (
	"testing"
	"unicode/utf8"

	upstream "github.com/mtibben/confusables"
	"pgregory.net/rapid"

	"github.com/casevault/casevault/vault/internal/third_party/confusables"
)

// TestVendoredConfusablesMatchesUpstream checks that the vendored copy,
// whose table is built on first use, maps exactly as upstream does: every
// code point alone, then generated strings mixing Latin, Cyrillic, Greek,
// combining marks and look-alike symbols.
func TestVendoredConfusablesMatchesUpstream(t *testing.T) {
	differ := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if got, want := confusables.Skeleton(s), upstream.Skeleton(s); got != want {
			if differ++; differ <= 10 {
				t.Errorf("Skeleton(%U) = %q, upstream %q", r, got, want)
			}
		}
	}
	if differ > 0 {
		t.Fatalf("%d code points map differently from upstream", differ)
	}
	alphabet := []rune("aeopcxyAEOPCXYBHKMT0123456789lI|аеорсхуАЕОРСХУВНКМТіїёйΑΒΕΟΡνο\u0301\u0308\u200b ._-ⅰℓ𝐚")
	rapid.Check(t, func(t *rapid.T) {
		a := string(rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 12).Draw(t, "a"))
		b := string(rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 12).Draw(t, "b"))
		if got, want := confusables.Skeleton(a), upstream.Skeleton(a); got != want {
			t.Fatalf("Skeleton(%q) = %q, upstream %q", a, got, want)
		}
		if got, want := confusables.Confusable(a, b), upstream.Confusable(a, b); got != want {
			t.Fatalf("Confusable(%q, %q) = %v, upstream %v", a, b, got, want)
		}
	})
}
