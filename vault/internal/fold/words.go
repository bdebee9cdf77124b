package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Word is one word of a text as search sees it.
type Word struct {
	// Token is what the word is indexed and looked up under: the Stem of
	// its Skeleton for a word of letters; a run of digits as it is, with a
	// dot between digits kept ("207.3").
	Token string
	// Skeleton is the word's skeleton (the Token of a run of digits).
	Skeleton string
	// Joined is set on the last part of a word written with hyphens
	// (Кара-Мурза, Римский-Корсаков): it is the token of the parts written
	// together (karamurza), which an index holds beside the parts.
	Joined string
	// Digits says the word is a run of digits.
	Digits bool
}

// Words splits text into its words, in order: runs of letters (an
// apostrophe between letters joins them: Dar'ya) and runs of digits. A
// hyphen between letters separates the parts of a compound word, each a
// Word of its own; the last part carries the joined form too.
func Words(text string) []Word {
	var out []Word
	var word, joined []rune
	parts := 0
	digits := false
	flush := func(endOfCompound bool) {
		if len(word) > 0 {
			w := Word{Digits: digits}
			if digits {
				w.Token, w.Skeleton = string(word), string(word)
			} else {
				w.Skeleton, w.Token = SkeletonStem(word)
				if commonWord(word) {
					w.Token = w.Skeleton + CommonWordMark
				} else {
					w.Token = searchStem(w.Skeleton, w.Token)
				}
			}
			if w.Skeleton != "" {
				out = append(out, w)
			}
			word = word[:0]
		}
		if endOfCompound {
			if parts > 1 && len(out) > 0 && !out[len(out)-1].Digits {
				skel, st := SkeletonStem(joined)
				out[len(out)-1].Joined = searchStem(skel, st)
			}
			joined, parts = joined[:0], 0
		}
	}
	var norm []rune
	for _, r := range text {
		norm = AppendRune(norm, r)
	}
	for i := 0; i < len(norm); i++ {
		r := norm[i]
		letter := unicode.IsLetter(r) && !isApostrophe(r)
		digit := unicode.IsDigit(r)
		switch {
		case letter:
			if digits && len(word) > 0 {
				flush(true)
			}
			if len(word) == 0 {
				parts++
			}
			digits = false
			word = append(word, r)
			joined = append(joined, r)
		case digit:
			if !digits && len(word) > 0 {
				flush(true)
			}
			digits = true
			word = append(word, r)
		case len(word) > 0 && !digits && i+1 < len(norm) && nextIsLetter(norm[i+1]) && isApostrophe(r):
			// Dar'ya, O'Brien: one word.
		case len(word) > 0 && !digits && i+1 < len(norm) && nextIsLetter(norm[i+1]) && isHyphen(r):
			flush(false) // Кара-Мурза: parts of one compound
		case r == '.' && digits && len(word) > 0 && i+1 < len(norm) && unicode.IsDigit(norm[i+1]):
			word = append(word, r)
		default:
			flush(true)
		}
	}
	flush(true)
	return out
}

// searchStem corrects Stem for search, where a false match costs the
// user's time rather than a leak: a word in -ич (Петрович, Зданович) is
// not the plural adjective ending -их, so Petrovich does not become
// Petrov. And Ukrainian г, which Ukrainian transliterations (BGN/PCGN,
// the national system and so passports, ICAO 9303) write h, matches g
// (Григорій, Hryhorii, Grigory): g joins the h/kh/ch sound H.
//
// Short names decline too (Анна, Анны, Анной; Юлия, Юлии: ana, ani,
// anoi): where Stem keeps a longer stem for want of three letters, the
// longest case ending is stripped down to two letters.
// And the й of Алексей, Андрей, which the glide rule eats before a vowel
// (Алексея: alekse-a), leaves a final e that is dropped from a stem of
// four letters or more (aleks).
func searchStem(skel, st string) string {
	if strings.HasSuffix(skel, "iH") {
		st = skel
	} else if s := stemShort(skel); len(s) < len(st) {
		st = s
	}
	if strings.HasSuffix(st, "e") && Letters(st) >= 5 {
		st = st[:len(st)-1]
	}
	st = strings.ReplaceAll(st, "g", "H")
	if len(st) < len(skel) && Letters(st) < 3 {
		// A stem cut to one or two letters (Юлия, Юлию: ul; Анна: an;
		// Цою: co) is marked, so that it is not the token of a word of
		// two letters (ул. of every address, an, in, as): searching
		// Юлия found 70 % of 100,000 generated cases, by "ul." alone.
		st += ShortStemMark
	}
	return st
}

// ShortStemMark ends the token of a word whose stem was cut to one or two
// letters (see searchStem).
const ShortStemMark = "~"

// CommonWordMark ends the token of a common word (commonWords): its whole
// skeleton, neither stemmed nor cut.
const CommonWordMark = "="

// commonWords are frequent words whose token would otherwise be that of a
// name, so that a search for the name found every text using the word:
// или and Илья (il~), ему and йому and Эмма (em~), мая (12 мая) and Майя
// (ma), июля (12 июля) and Юлия (ul~), июня and Юна, ели and Элла, идеи
// and Ида, иные and Инна, Ukrainian але and Алла, the English any and
// Анна, may and Майи. Each is its own token (ili=, emu=, ma=): found by
// itself, in any letter case, and by no name. Entries are written as the
// lower-case letters AppendRune gives; TestCommonWordsAreNotNames checks
// them against the case generator's names and a list of short given
// names.
//
// Left out: words that are also a form of a name (иду: Ида; ані: Аня;
// ума: Ума), and the English an, which is how BGN/PCGN and ICAO 9303
// write the surname Ан. A name or a name's form spelled like a listed word
// is found only as that word (the name Мая; Иной of Ина; Уму of Ума).
var commonWords = map[string]bool{
	"или": true, "ему": true, "йому": true, "ели": true, "ела": true, "еле": true, "иди": true,
	"мая": true, "май": true, "мае": true, "июля": true, "июле": true, "июлю": true,
	"июня": true, "июне": true, "июню": true, "идеи": true, "идей": true, "идею": true, "ідеї": true,
	"иной": true, "иного": true, "иному": true, "иным": true, "ином": true, "иная": true,
	"иную": true, "иные": true, "иных": true, "иными": true, "уму": true, "умом": true,
	"пьет": true, "пьёт": true, "але": true, "any": true, "else": true, "may": true,
}

// maxCommonLetters and maxCommonWord are the most letters and bytes of a
// word of commonWords.
const (
	maxCommonLetters = 6
	maxCommonWord    = 16
)

// commonWord reports whether the letters of a word are one of commonWords.
func commonWord(word []rune) bool {
	if len(word) > maxCommonLetters {
		return false
	}
	var buf [maxCommonWord]byte
	b := buf[:0]
	for _, r := range word {
		if len(b)+utf8.RuneLen(r) > len(buf) {
			return false
		}
		b = utf8.AppendRune(b, r)
	}
	return commonWords[string(b)]
}

// stemShort strips one case ending from a skeleton, keeping two letters.
func stemShort(skel string) string {
	n := Letters(skel)
	for _, e := range caseEndings() {
		if strings.HasSuffix(skel, e) && n-len(e) >= 2 {
			return skel[:len(skel)-len(e)]
		}
	}
	return skel
}

// SearchForm is a skeleton in the form search tokens take (see Words):
// what a prefix query compares with tokens.
func SearchForm(skel string) string { return strings.ReplaceAll(skel, "g", "H") }

// SearchStem is the token of a word whose skeleton is skel.
func SearchStem(skel string) string { return searchStem(skel, Stem(skel)) }

func nextIsLetter(r rune) bool { return unicode.IsLetter(r) && !isApostrophe(r) }

// isApostrophe reports the apostrophes and modifier letters that
// transliterations write for ь and ъ (Dar'ya, Darʹja).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', 'ʹ', 'ʺ', '`', '´', 'ʻ', 'ʽ', '′', '″': // ′ ″: ь and ъ in GOST 7.79 system A
		return true
	}
	return false
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

// Letters returns the number of letters of a token or skeleton.
func Letters(s string) int { return utf8.RuneCountInString(s) }
