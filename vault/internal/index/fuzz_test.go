package index

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzTokens checks the search tokenizer on arbitrary text: tokens are
// non-empty, lower-case, free of separators and duplicates, and the
// tokenizer is idempotent (a query made of the tokens finds the same
// tokens), which is what makes indexing and searching agree.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Vladimir Kara-Murza", "Владимир Кара-Мурза", "Фёдор", "Андре\u0438\u0306", "207.3(2) 1..2 .5.", "cafe\u0301", "ǅ ﬁ İ ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		seen := map[string]bool{}
		for _, tok := range toks {
			if tok == "" || seen[tok] {
				t.Fatalf("empty or duplicate token %q in %q", tok, toks)
			}
			seen[tok] = true
			for _, r := range tok {
				if unicode.IsSpace(r) || r == '-' || r == ',' {
					t.Fatalf("token %q holds a separator", tok)
				}
			}
		}
		again := Tokens(strings.Join(toks, " "))
		if !slices.Equal(again, toks) {
			t.Fatalf("Tokens is not idempotent: %q -> %q -> %q", s, toks, again)
		}
	})
}
