package index

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

// FuzzTokens checks the search tokenizer on arbitrary text: tokens are
// non-empty, free of separators and duplicates, and a query made of the
// text itself finds the text (the words of every text are among the
// tokens the index holds for it), which is what makes indexing and
// searching agree.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Vladimir Kara-Murza", "Владимир Кара-Мурза", "Фёдор", "Андре\u0438\u0306", "207.3(2) 1..2 .5.", "cafe\u0301", "ǅ ﬁ İ ß", "Dar'ya O'Brien"} {
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
				if unicode.IsSpace(r) || r == '-' || r == ',' || r == '"' || r == '*' {
					t.Fatalf("token %q holds a separator", tok)
				}
			}
		}
		tf := TokenFields{}
		tf.add(s, 1)
		q, err := ParseQuery(strings.ReplaceAll(strings.ReplaceAll(s, `"`, " "), "*", " "))
		if err != nil {
			if !errors.Is(err, ErrLongQuery) && !(errors.Is(err, ErrEmptyQuery) && len(toks) == 0) {
				t.Fatalf("ParseQuery(%q): %v with tokens %q", s, err, toks)
			}
			return
		}
		if _, ok := q.MatchTokens(tf, -1); !ok {
			t.Fatalf("text %q is not found by itself: query %+v, tokens %q", s, q, toks)
		}
	})
}

// FuzzParseQuery parses arbitrary search text: it fails cleanly or gives
// a query with something to look up, prefixes of at least 3 letters, and
// phrases whose words are all terms.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`ворон*`, `"глеб шахновский" 207.3`, `"unterminated`, `a* b*`, `**`, `"" ""`, `Кара-Мурза*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			return
		}
		if len(q.Terms)+len(q.Prefixes) == 0 {
			t.Fatalf("query %q has nothing to look up", s)
		}
		for _, p := range q.Prefixes {
			if len([]rune(p.P)) < VocabStart || len(p.Starts()) == 0 {
				t.Fatalf("prefix %q of %q", p, s)
			}
		}
		terms := map[string]bool{}
		for _, t := range q.Terms {
			terms[t] = true
		}
		for _, ph := range q.Phrases {
			for _, w := range ph {
				if !terms[w] {
					t.Fatalf("phrase word %q is not a term of %+v", w, q)
				}
			}
		}
	})
}

// FuzzDecodeGroup checks the posting group decoder on arbitrary values and
// tables (a restored backup carries them): it never reads past its table,
// and what it decodes encodes back to the same value.
func FuzzDecodeGroup(f *testing.F) {
	var fs FieldSet
	fs.Add(3)
	f.Add(EncodeGroup([]Slot{{0, fs}, {2, FieldSet{}}}), 3)
	f.Add([]byte{0x04, 0x00, 0x03, 0x00, 0x02, 0x00, 0x46}, 2)
	f.Fuzz(func(t *testing.T, val []byte, n int) {
		if n < 0 || n > 1<<12 {
			return
		}
		slots, err := DecodeGroupSlots(nil, val, n)
		if err != nil {
			return
		}
		for i, s := range slots {
			if s.Pos < 0 || s.Pos >= n || i > 0 && s.Pos <= slots[i-1].Pos {
				t.Fatalf("slot %d at position %d of %d", i, s.Pos, n)
			}
		}
		again, err := DecodeGroupSlots(nil, EncodeGroup(slots), n)
		if err != nil || len(again) != len(slots) {
			t.Fatalf("re-encoded group: %v, %d slots of %d", err, len(again), len(slots))
		}
		for i := range again {
			if again[i] != slots[i] {
				t.Fatalf("slot %d: %v, then %v", i, slots[i], again[i])
			}
		}
	})
}
