// Package fold reduces words to the forms that comparisons use, the same
// for every spelling of a name that people actually write: a phonetic-ish
// Latin skeleton per word (Skeleton) and a stem without a Russian or
// Ukrainian case ending (Stem). The publication leak scanner and the
// vault's search index both use it, so that what one finds the other
// finds. The steps, in order (SECURITY.md, "Publication", lists them with
// their sources):
//
//  1. percent-decoding of %XX escapes that form UTF-8 (mailto: and URL
//     paths; PercentRun, done by the caller that keeps source offsets);
//  2. removal of format characters (Unicode category Cf: zero-width space
//     and joiners, soft hyphen, bidi controls, BOM) and of other
//     Default_Ignorable code points (variation selectors, fillers);
//  3. letters with a meaning of their own in Latin transliterations
//     (š č ž ł ß …) become the digraphs they stand for;
//  4. NFKD compatibility decomposition (golang.org/x/text/unicode/norm):
//     full-width digits and letters become ASCII, ligatures split, accents
//     become combining marks, which are dropped (Mn);
//  5. lower case (steps 2 to 5: AppendRune);
//  6. per word: letters of a minority script are replaced by their UTS #39
//     confusable (github.com/mtibben/confusables, generated from Unicode's
//     confusables.txt), towards the script of the word's majority;
//  7. Cyrillic is transliterated (cyrLatin) and Latin transliteration
//     variants are folded (latinFolds, glides, double letters) (steps 6
//     and 7: FoldWord).
//
// A skeleton marks a folded sound with an upper-case letter (S for ш, H
// for х and ч, Z for ж, C for ц) so that it is not folded again; it is
// never shown to anyone.
package fold

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/casevault/casevault/vault/internal/third_party/confusables"
	"golang.org/x/text/unicode/norm"
)

// cyrLatin is a simple Russian (and Ukrainian/Belarusian letters) to Latin
// transliteration, close to the passport and BGN/PCGN systems. It is used
// only to compare texts, never to display them.
var cyrLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'і': "i", 'ї': "i", 'є': "e", 'ґ': "g", 'ў': "u",
}

// specialLatin are Latin letters that scholarly, ISO 9, Polish, Czech and
// German transliterations of Cyrillic use for a digraph; NFKD would reduce
// them to their base letter and lose the difference (š is sh, not s).
var specialLatin = map[rune]string{
	'š': "sh", 'č': "ch", 'ž': "zh", 'ł': "l", 'ß': "ss", 'æ': "ae", 'œ': "oe",
	'ø': "o", 'đ': "d", 'ı': "i", 'ŝ': "sh", 'ĉ': "ch", 'ẑ': "zh",
	'Š': "sh", 'Č': "ch", 'Ž': "zh", 'Ł': "l", 'Æ': "ae", 'Œ': "oe", 'Ø': "o", 'Đ': "d",
	// Letters with a hook or a stroke that NFKD does not decompose.
	'ƙ': "k", 'Ƙ': "k", 'ɗ': "d", 'Ɗ': "d", 'ƴ': "y", 'Ƴ': "y", 'ħ': "h", 'Ħ': "h", 'İ': "i",
	'ɓ': "b", 'Ɓ': "b", 'ƒ': "f", 'Ƒ': "f", 'ɠ': "g", 'Ɠ': "g", 'ƭ': "t", 'Ƭ': "t", 'ƥ': "p", 'Ƥ': "p",
}

// latinFolds merge Latin spellings that transliterations of the same
// Cyrillic letter use (BGN/PCGN, passport/ICAO, ISO 9 after step 3,
// German, Polish, French; ou → u as French writes у): sch/sh/sz → S (ш), kh/ch/h → H (х and ч merge:
// German and English read ch differently), zh → Z, ts/tz/c → C, x → ks,
// w → v, y/j → i, q → k, z → s (German writes з as s). Upper-case letters mark a folded sound so that it
// is not folded again. Longer spellings come first: the replacer takes the
// first that matches at a position.
var latinFolds = strings.NewReplacer(
	"shch", "S", "tsch", "H", "sch", "S", "tch", "H", "ou", "u", "sh", "S", "sz", "S",
	"zh", "Z", "kh", "H", "ch", "H", "cz", "H", "ck", "k", "ph", "f",
	"ts", "C", "tz", "C", "c", "C", "h", "H",
	"x", "ks", "w", "v", "y", "i", "j", "i", "q", "k", "z", "s",
)

// Transliterate returns s with Cyrillic letters written in Latin letters
// (Иванов → Ivanov). Other characters are kept.
func Transliterate(s string) string {
	var b strings.Builder
	for _, r := range s {
		lr := unicode.ToLower(r)
		t, ok := cyrLatin[lr]
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lr != r && t != "" {
			t = strings.ToUpper(t[:1]) + t[1:]
		}
		b.WriteString(t)
	}
	return b.String()
}

// cyrConfusable maps a Latin letter to the Cyrillic letter whose UTS #39
// skeleton it is (x → х, c → с, p → р …), built from the confusables
// table, so that Latin letters inside a Cyrillic word are read as the
// Cyrillic letters they imitate.
var cyrConfusable = sync.OnceValue(func() map[rune]rune {
	m := map[rune]rune{}
	for c := 'а'; c <= 'я'; c++ {
		addConfusable(m, c)
	}
	for _, c := range "іїєґў" {
		addConfusable(m, c)
	}
	return m
})

func addConfusable(m map[rune]rune, c rune) {
	s := confusables.Skeleton(string(c))
	if r, n := utf8.DecodeRuneInString(s); n == len(s) && r < 0x80 && unicode.IsLetter(r) {
		r = unicode.ToLower(r)
		if _, ok := m[r]; !ok {
			m[r] = c
		}
	}
}

// latinOf returns the ASCII letter a non-Latin letter imitates (Cyrillic у
// → y, Greek ο → o), or 0.
func latinOf(r rune) rune {
	s := confusables.Skeleton(string(r))
	if c, n := utf8.DecodeRuneInString(s); n == len(s) && c < 0x80 && unicode.IsLetter(c) {
		return unicode.ToLower(c)
	}
	return 0
}

// Skeleton reduces one word to the form that comparisons use (steps 2 to 7
// above): "Иванов", "IVANOV" and "Iwanow" agree, as do "Юлия", "Yuliya",
// "Iuliia" and "Julia", "Schachnowski", "Šachnovskij" and "Шахновский".
func Skeleton(word string) string {
	rs := make([]rune, 0, len(word))
	for _, r := range word {
		rs = AppendRune(rs, r)
	}
	return FoldWord(rs)
}

// AppendRune appends the normalised form of r (steps 2 to 5 above) to dst:
// nothing for a format character, two letters for š, the base letters of
// a compatibility decomposition, in lower case.
func AppendRune(dst []rune, r rune) []rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	}
	if unicode.Is(unicode.Cf, r) || ignorable(r) {
		return dst
	}
	if t, ok := specialLatin[r]; ok {
		for _, c := range t {
			dst = append(dst, c)
		}
		return dst
	}
	if unicode.Is(unicode.Cyrillic, r) {
		// й and ё are letters of their own: keep them composed.
		return append(dst, unicode.ToLower(r))
	}
	var buf [4 * utf8.UTFMax]byte
	for _, c := range string(norm.NFKD.AppendString(buf[:0], string(r))) {
		if unicode.Is(unicode.Mn, c) || unicode.Is(unicode.Cf, c) {
			continue
		}
		dst = append(dst, unicode.ToLower(c))
	}
	return dst
}

// FoldWord is steps 6 and 7 for the lower-case letters and digits of one
// word.
func FoldWord(rs []rune) string {
	var lat, cyr int
	for _, r := range rs {
		switch {
		case r < 0x80:
			if unicode.IsLetter(r) {
				lat++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		}
	}
	var b strings.Builder
	for _, r := range rs {
		switch {
		case r < 0x80:
			if cyr > lat && unicode.IsLetter(r) {
				if c, ok := cyrConfusable()[r]; ok {
					b.WriteString(cyrLatin[c])
					continue
				}
			}
			b.WriteRune(r)
		case unicode.Is(unicode.Cyrillic, r):
			if lat > cyr {
				if c := latinOf(r); c != 0 {
					b.WriteRune(c)
					continue
				}
			}
			if r == 'ў' {
				b.WriteByte('v') // Belarusian ў stands where Russian writes в (Саўчук, Савчук)
			} else if t, ok := cyrLatin[r]; ok {
				b.WriteString(t)
			} else if c := latinOf(r); c != 0 {
				b.WriteRune(c)
			}
		default:
			if c := latinOf(r); c != 0 {
				b.WriteRune(c)
			} else {
				b.WriteRune(r)
			}
		}
	}
	s := latinFolds.Replace(b.String())
	s = collapse(s)
	s = glides(s)
	return collapse(s)
}

// collapse merges doubled letters (Savva/Sava, Iuliia/Iulia); digits stay.
func collapse(s string) string {
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if r == last && !unicode.IsDigit(r) {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// glides drops an i before a vowel (ya/ja/ia → a, ye/je/ie → e, yu/ju/iu
// → u, yo/jo/io → e, as ё is mostly written е): Yelena/Elena/Jelena,
// Semyonov/Семёнов/Семенов, Dar'ya/Darja/Дарья agree.
func glides(s string) string {
	if !strings.Contains(s, "i") {
		return s
	}
	b := []byte(s)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == 'i' && i+1 < len(b) {
			switch b[i+1] {
			case 'a', 'e', 'u':
				continue
			case 'o':
				out = append(out, 'e')
				i++
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// IsBidiControl reports the explicit directional controls.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// ignorable reports the Default_Ignorable code points that are not Cf
// (those are dropped by category).
func ignorable(r rune) bool {
	return r == 0x034F || r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 ||
		r >= 0x180B && r <= 0x180F || r >= 0xFE00 && r <= 0xFE0F || r >= 0xE0100 && r <= 0xE01EF
}

// PercentRun decodes a run of %XX escapes at the start of s when they form
// valid UTF-8 text without control characters, returning the text and the
// length of the run.
func PercentRun(s string) (string, int) {
	var b []byte
	n := 0
	for n+2 < len(s) && s[n] == '%' && isHex(s[n+1]) && isHex(s[n+2]) {
		b = append(b, unhex(s[n+1])<<4|unhex(s[n+2]))
		n += 3
	}
	if n == 0 || !utf8.Valid(b) {
		return "", 0
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) {
			return "", 0
		}
	}
	return string(b), n
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
