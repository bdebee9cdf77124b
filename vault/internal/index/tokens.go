package index

import (
	"strings"
	"unicode"

	"github.com/casevault/casevault/schema"
)

// Tokens splits texts into search tokens: lower-cased runs of letters and
// digits (a dot between digits stays, so "207.3" is one token), with "ё"
// folded to "е". Duplicates are removed.
func Tokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, tok := range tokenize(t) {
			if !seen[tok] {
				seen[tok] = true
				out = append(out, tok)
			}
		}
	}
	return out
}

// cyrillicFold composes the Cyrillic letters that text in decomposed form
// (NFD, as macOS and some editors write it) spells with a combining mark,
// and folds "ё" to "е", so that "й" and "ё" match however they were typed.
var cyrillicFold = strings.NewReplacer(
	"и\u0306", "й", // и + combining breve
	"е\u0308", "е", // е + combining diaeresis (ё)
	"ё", "е",
)

func tokenize(s string) []string {
	s = cyrillicFold.Replace(strings.ToLower(s))
	rs := []rune(s)
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		case unicode.Is(unicode.Mn, r) && len(cur) > 0:
			// Other combining marks stay with their letter rather than
			// split the word in two.
			cur = append(cur, r)
		case r == '.' && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// StatusToken is the token a case with status s is indexed under, so
// that listing by status is a posting lookup.
func StatusToken(s string) string { return "status:" + s }

// CaseTokens are the tokens a case is indexed under: those of its search
// text (the fields the schema marks x-search) and those of its structured
// fields (FilterTokens).
func CaseTokens(doc *schema.Case) []string {
	return append(Tokens(doc.SearchText()...), FilterTokens(doc)...)
}
