package publish

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/casevault/casevault/vault/internal/fold"
)

// This file reduces text to the form the leak scanner compares: one
// phonetic-ish Latin skeleton per word, the same for every spelling of a
// name that people actually write. The steps, in order (SECURITY.md,
// "Publication", lists them with their sources):
//
//  1. percent-decoding of %XX escapes that form UTF-8 (mailto: and URL paths);
//  2. removal of format characters (Unicode category Cf: zero-width space
//     and joiners, soft hyphen, bidi controls, BOM) and of other
//     Default_Ignorable code points (variation selectors, fillers);
//  3. letters with a meaning of their own in Latin transliterations
//     (š č ž ł ß …) become the digraphs they stand for;
//  4. NFKD compatibility decomposition (golang.org/x/text/unicode/norm):
//     full-width digits and letters become ASCII, ligatures split, accents
//     become combining marks, which are dropped (Mn);
//  5. lower case;
//  6. per word: letters of a minority script are replaced by their UTS #39
//     confusable (github.com/mtibben/confusables, generated from Unicode's
//     confusables.txt), towards the script of the word's majority;
//  7. Cyrillic is transliterated (cyrLatin) and Latin transliteration
//     variants are folded (latinFolds, glides, double letters).

// The tables and the folding itself live in vault/internal/fold, shared
// with the vault's search index; the names below keep the scanner's code
// as it was.

// Transliterate returns s with Cyrillic letters written in Latin letters
// (Иванов → Ivanov). Other characters are kept.
func Transliterate(s string) string { return fold.Transliterate(s) }

// skeleton reduces one word to the form that comparisons use (steps 1 to 7
// above): "Иванов", "IVANOV" and "Iwanow" agree, as do "Юлия", "Yuliya",
// "Iuliia" and "Julia", "Schachnowski", "Šachnovskij" and "Шахновский".
// It is fold.Skeleton after percent-decoding.
func skeleton(word string) string {
	n := normalize(word)
	rs := make([]rune, len(n))
	for i, x := range n {
		rs[i] = x.r
	}
	return fold.FoldWord(rs)
}

// foldWord is steps 6 and 7 for the lower-case letters and digits of one
// word.
func foldWord(rs []rune) string { return fold.FoldWord(rs) }

// An nrune is one rune of normalised text with the byte range of the
// source text it came from.
type nrune struct {
	r          rune
	start, end int
}

// isBidiControl reports the explicit directional controls.
func isBidiControl(r rune) bool { return fold.IsBidiControl(r) }

// normalize applies steps 1 to 5 to s.
func normalize(s string) []nrune { return normalizeInto(make([]nrune, 0, len(s)), s) }

// normalizeInto is normalize appending to out.
func normalizeInto(out []nrune, s string) []nrune {
	var buf []rune
	emit := func(r rune, start, end int) {
		if r < 0x80 {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			out = append(out, nrune{r, start, end})
			return
		}
		buf = fold.AppendRune(buf[:0], r)
		for _, c := range buf {
			out = append(out, nrune{c, start, end})
		}
	}
	for i := 0; i < len(s); {
		if s[i] == '%' {
			if dec, n := percentRun(s[i:]); n > 0 {
				for _, r := range dec {
					emit(r, i, i+n)
				}
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		emit(r, i, i+size)
		i += size
	}
	return out
}

// percentRun decodes a run of %XX escapes at the start of s when they form
// valid UTF-8 text without control characters, returning the text and the
// length of the run.
func percentRun(s string) (string, int) { return fold.PercentRun(s) }

// A token is a word of a text: a maximal run of letters, or of digits,
// with its byte range in the text, its skeleton and its stem.
type token struct {
	start, end int
	skel       string
	stem       string
	upper      bool // the word starts with an upper-case letter in the source
	digits     bool // the word is a run of digits
}

// apostrophes join the parts of a word (Dar'ya, Darʹja) unless an English
// possessive follows.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', 'ʹ', '`', '´', 'ʻ', 'ʽ':
		return true
	}
	return false
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// tokenize splits s into words, after normalisation: runs of letters
// (joined across an apostrophe or a hyphen between letters, so that
// Kara-Murza and Karamurza agree) and runs of digits.
func tokenize(s string) []token {
	return tokenizeN(s, normalize(s))
}

func tokenizeN(s string, n []nrune) []token { return tokenizeInto(nil, s, n) }

// tokenizeInto is tokenizeN appending to out.
func tokenizeInto(out []token, s string, n []nrune) []token {
	var word []rune
	start, end := -1, -1
	letters := false
	flush := func() {
		if start < 0 {
			return
		}
		t := token{start: start, end: end, digits: !letters}
		first, _ := utf8.DecodeRuneInString(s[start:])
		t.upper = unicode.IsUpper(first) || (letters && !unicode.IsLower(first) && !unicode.IsLetter(first))
		if letters {
			t.skel, t.stem = foldCached(word)
		} else {
			t.skel = string(word)
			t.stem = t.skel
		}
		out = append(out, t)
		word, start = word[:0], -1
	}
	for i := 0; i < len(n); i++ {
		r := n[i].r
		isL := unicode.IsLetter(r) && !isApostrophe(r)
		isD := r >= '0' && r <= '9'
		switch {
		case isL || isD:
			if start >= 0 && letters != isL {
				flush()
			}
			if start < 0 {
				start, end, letters = n[i].start, n[i].end, isL
			}
			word = append(word, r)
			start, end = min(start, n[i].start), max(end, n[i].end)
		case start >= 0 && letters && (isApostrophe(r) || isHyphen(r)) && i+1 < len(n) && unicode.IsLetter(n[i+1].r) && !isApostrophe(n[i+1].r):
			// Joined: Kara-Murza, Dar'ya; but Smith's is Smith.
			if isApostrophe(r) && n[i+1].r == 's' && (i+2 >= len(n) || !unicode.IsLetter(n[i+2].r)) {
				flush()
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// foldCached returns foldWord(word) and its stem, cached (fold.SkeletonStem).
func foldCached(word []rune) (skel, st string) { return fold.SkeletonStem(word) }

// skeletons returns the skeletons of the words of s.
func skeletons(s string) []string {
	toks := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.skel
	}
	return out
}

// stopwords are common short words in English and Russian that never count
// as a leak on their own, in skeleton form (see isStopword).
var stopwords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for was were with from that this his her him she they them
		their has had have are not but all any can our out who whom which what when where why how
		into onto over under after before about also been being its per via than then there these those
		mr mrs ms dr head unit chief officer guard guards police prison colony court case cases
		и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
		было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
		вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
		тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
		этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
		никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
		какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
		им более всегда конечно всю между`) {
		m[skeleton(w)] = true
	}
	return m
})

func isStopword(skel string) bool { return stopwords()[skel] }
