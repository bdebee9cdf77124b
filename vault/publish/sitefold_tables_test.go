package publish

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The site's filter folds a reader's query in JavaScript (assets/filter.js)
// the way skeleton and stem fold words in Go. Its tables,
// assets/foldtables.json, are generated from the Go tables by
// TestSiteFoldTables (go test ./vault/publish -run TestSiteFoldTables
// -update), which fails while the committed file differs from what the Go
// tables give. The browser test checks that the page's fold and Go's agree
// on a corpus of names.
//
// This file is the only place that reads the tables of translit.go and
// names.go by name (cyrLatin, specialLatin, latinFolds, caseEndings,
// cyrConfusable, latinOf): when they move, only the accessors below change.

const foldTablesPath = "assets/foldtables.json"

// siteFoldTables are the tables filter.js folds with.
type siteFoldTables struct {
	// Special: Latin letters written as digraphs (normalisation step 3).
	Special map[string]string `json:"special"`
	// Cyr: each Cyrillic letter in a word that is mostly Cyrillic (missing:
	// dropped).
	Cyr map[string]string `json:"cyr"`
	// CyrInLatin: a Cyrillic letter in a word that is mostly Latin, where it
	// differs from Cyr (its UTS #39 Latin look-alike).
	CyrInLatin map[string]string `json:"cyrInLatin"`
	// LatinInCyr: an ASCII letter in a word that is mostly Cyrillic (the
	// Cyrillic letter it imitates, transliterated).
	LatinInCyr map[string]string `json:"latinInCyr"`
	// Other: letters of other scripts and their ASCII look-alike (missing:
	// kept).
	Other map[string]string `json:"other"`
	// Folds: the Latin fold pairs, longest first; at each position the
	// first that matches is replaced.
	Folds [][2]string `json:"folds"`
	// Endings: case endings in skeleton form, in the order stem tries them.
	Endings []string `json:"endings"`
}

func makeSiteFoldTables(t testing.TB) siteFoldTables {
	tb := siteFoldTables{Special: map[string]string{}, Cyr: map[string]string{}, CyrInLatin: map[string]string{},
		LatinInCyr: map[string]string{}, Other: map[string]string{}, Endings: caseEndings()}
	for r, s := range specialLatin {
		tb.Special[string(r)] = s
	}
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Cyrillic, r) {
			// foldWord's Cyrillic branch, for a letter in a Cyrillic word.
			out := ""
			if r == 'ў' {
				out = "v"
			} else if s, ok := cyrLatin[r]; ok {
				out = s
			} else if c := latinOf(r); c != 0 {
				out = string(c)
			}
			if out != "" {
				tb.Cyr[string(r)] = out
			}
			if c := latinOf(r); c != 0 && string(c) != out {
				tb.CyrInLatin[string(r)] = string(c)
			}
			continue
		}
		// Letters that reach foldWord are lower case and NFKD-stable.
		if unicode.ToLower(r) != r || norm.NFKD.String(string(r)) != string(r) {
			continue
		}
		if c := latinOf(r); c != 0 {
			tb.Other[string(r)] = string(c)
		}
	}
	for l, c := range cyrConfusable() {
		tb.LatinInCyr[string(l)] = cyrLatin[c]
	}
	tb.Folds = latinFoldPairs(t)
	return tb
}

// latinFoldPairs recovers the pairs of latinFolds (a strings.Replacer,
// which does not list them): every ASCII string of up to four letters that
// the pairs found so far replace differently from latinFolds is a pair.
// The pairs found then replace 300,000 random strings of five to nine
// characters, drawn from the letters of the pairs, another letter and a
// digit, as latinFolds does (a longer pair would show there).
func latinFoldPairs(t testing.TB) [][2]string {
	var pairs [][2]string
	var gen func(prefix []byte, n int)
	gen = func(prefix []byte, n int) {
		if n == 0 {
			s := string(prefix)
			if want := latinFolds.Replace(s); replacePairs(pairs, s) != want {
				pairs = append(pairs, [2]string{s, want})
			}
			return
		}
		for c := byte('a'); c <= 'z'; c++ {
			gen(append(prefix, c), n-1)
		}
	}
	for n := 1; n <= 4; n++ {
		gen(nil, n)
		sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i][0]) > len(pairs[j][0]) })
	}
	alphabet := pairLetters(pairs) + "a1"
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 9)
	for range 300_000 {
		s := buf[:5+rng.IntN(5)]
		for i := range s {
			s[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := replacePairs(pairs, string(s)), latinFolds.Replace(string(s)); got != want {
			t.Fatalf("recovered fold pairs replace %q by %q, latinFolds by %q", s, got, want)
		}
	}
	return pairs
}

// pairLetters are the letters of the pairs' keys.
func pairLetters(pairs [][2]string) string {
	seen := map[rune]bool{}
	var b strings.Builder
	for _, p := range pairs {
		for _, r := range p[0] {
			if !seen[r] {
				seen[r] = true
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// replacePairs is filter.js's replace: at each position the first pair
// whose key matches.
func replacePairs(pairs [][2]string, s string) string {
	var b strings.Builder
next:
	for i := 0; i < len(s); {
		for _, p := range pairs {
			if strings.HasPrefix(s[i:], p[0]) {
				b.WriteString(p[1])
				i += len(p[0])
				continue next
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func encodeFoldTables(t testing.TB, tb siteFoldTables) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // escapes < > &: the JSON sits in a <script> element
	if err := enc.Encode(tb); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSiteFoldTables checks that assets/foldtables.json is what the Go
// tables give; -update rewrites it.
func TestSiteFoldTables(t *testing.T) {
	want := encodeFoldTables(t, makeSiteFoldTables(t))
	if *update {
		if err := os.WriteFile(filepath.FromSlash(foldTablesPath), want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.FromSlash(foldTablesPath))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the Go fold tables give (run go test ./vault/publish -run TestSiteFoldTables -update and review the diff)", foldTablesPath)
	}
	if string(got) != foldTablesJSON {
		t.Fatalf("the embedded %s differs from the file on disk (rebuild)", foldTablesPath)
	}
	var tb siteFoldTables
	if err := json.Unmarshal(got, &tb); err != nil {
		t.Fatal(err)
	}
	// A few entries a reader relies on.
	for k, v := range map[string]string{"щ": "shch", "х": "kh", "ў": "v", "ё": "e", "й": "i"} {
		if tb.Cyr[k] != v {
			t.Errorf("cyr[%s] = %q, want %q", k, tb.Cyr[k], v)
		}
	}
	if len(tb.Folds) < 20 || len(tb.Endings) < 20 || len(tb.Other) < 50 || len(tb.CyrInLatin) < 4 || len(tb.LatinInCyr) < 5 {
		t.Errorf("tables too small: %d folds, %d endings, %d other, %d cyrInLatin, %d latinInCyr",
			len(tb.Folds), len(tb.Endings), len(tb.Other), len(tb.CyrInLatin), len(tb.LatinInCyr))
	}
}
