package schema

import (
	"strings"
	"unicode"
)

// Codes an article may belong to, as the code field of a charge names
// them and as [NormalizeArticle] writes them.
const (
	CodeCriminal       = "RU-CC"  // Russian Criminal Code (УК РФ)
	CodeAdministrative = "RU-CAO" // Russian Code of Administrative Offences (КоАП РФ)
)

// NormalizeArticle returns the one form of an article of the Russian
// Criminal Code or Code of Administrative Offences written in any of the
// ways lawyers write it, so that statistics do not split one article into
// several: "207.3 ч.2", "ст. 207.3 ч. 2 УК РФ", "ч. 2 ст. 207.3",
// "207.3(2)" and "Art. 207.3 part 2" all give "RU-CC 207.3(2)"; "ст. 20.3.3
// ч. 1 КоАП РФ" and "20.3.3(1) Code of Administrative Offences" give
// "RU-CAO 20.3.3(1)"; a clause (пункт «а») follows the part: "RU-CC
// 105(2)(а)". An article that names no code is taken as one of the
// Criminal Code.
//
// ok is false, and norm "", for text it does not recognise as exactly one
// article: several articles, another code, words it does not know. The
// case stores the normalised form with the text as the user wrote it
// beside it ([Case.NormalizeCharges]).
func NormalizeArticle(text string) (norm string, ok bool) {
	return normalizeArticle(text, "")
}

// NormalizeCharge is [NormalizeArticle] for a charge whose code field is
// code: the code is taken from it when the article text names none.
// ok is false when the two disagree, or when neither names RU-CC or
// RU-CAO (code "other").
func NormalizeCharge(code, article string) (norm string, ok bool) {
	switch code {
	case "", CodeCriminal, CodeAdministrative:
	default:
		return "", false
	}
	return normalizeArticle(article, code)
}

// maxArticleText bounds the text NormalizeArticle looks at: an article is
// a few words, and a field of 500 characters is not one.
const maxArticleText = 200

// Words of article texts, by what they say.
var (
	// articleCodeWords name a code.
	articleCodeWords = map[string]string{
		"ru-cc": CodeCriminal, "ук": CodeCriminal, "уголовного": CodeCriminal, "уголовный": CodeCriminal,
		"criminal": CodeCriminal, "cc": CodeCriminal,
		"ru-cao": CodeAdministrative, "коап": CodeAdministrative, "административных": CodeAdministrative,
		"administrative": CodeAdministrative, "cao": CodeAdministrative,
	}
	// articleFillerWords go with the name of a code and say nothing more.
	articleFillerWords = set("рф", "россии", "российской", "федерации", "кодекса", "кодекс", "кодексу", "об", "правонарушениях",
		"of", "the", "russian", "federation", "russia", "code", "offences", "offenses", "rf")
	articlePartWords   = set("ч", "часть", "части", "частью", "part", "pt", "p")
	articleClauseWords = set("п", "пункт", "пункта", "пункте", "para", "clause")
	articleWords       = set("ст", "статья", "статьи", "статье", "статьей", "статьёй", "article", "art")
	articleQuotes      = "«»\"'“”„"
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// An articleToken is a word, a number (digits with inner dots: 20.3.3) or
// one other character.
type articleToken struct {
	kind byte // 'w', 'n' or 'p'
	text string
}

func articleTokens(s string) []articleToken {
	var out []articleToken
	r := []rune(s)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(r) && (r[j] >= '0' && r[j] <= '9' || r[j] == '.' && j+1 < len(r) && r[j+1] >= '0' && r[j+1] <= '9') {
				j++
			}
			out = append(out, articleToken{'n', string(r[i:j])})
			i = j
		case unicode.IsLetter(c):
			j := i
			for j < len(r) && (unicode.IsLetter(r[j]) || r[j] == '-' && j+1 < len(r) && unicode.IsLetter(r[j+1])) {
				j++
			}
			out = append(out, articleToken{'w', strings.ToLower(string(r[i:j]))})
			i = j
		default:
			out = append(out, articleToken{'p', string(c)})
			i++
		}
	}
	return out
}

func isInt(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func normalizeArticle(text, code string) (string, bool) {
	if len(text) > maxArticleText {
		return "", false
	}
	toks := articleTokens(text)
	named, number, part, clause := "", "", "", ""
	setOnce := func(dst *string, v string) bool {
		if *dst != "" && *dst != v {
			return false
		}
		*dst = v
		return true
	}
	// skipDot skips a "." after a marker word.
	skipDot := func(i int) int {
		if i < len(toks) && toks[i].text == "." {
			return i + 1
		}
		return i
	}
	// letterAt reads a clause letter at i, in quotes or brackets or bare.
	letterAt := func(i int) (string, int, bool) {
		open := i < len(toks) && toks[i].kind == 'p' && (strings.Contains(articleQuotes, toks[i].text) || toks[i].text == "(")
		if open {
			i++
		}
		if i >= len(toks) || toks[i].kind != 'w' || len([]rune(toks[i].text)) != 1 {
			return "", i, false
		}
		l := toks[i].text
		i++
		if open {
			if i >= len(toks) || toks[i].kind != 'p' || !(strings.Contains(articleQuotes, toks[i].text) || toks[i].text == ")") {
				return "", i, false
			}
			i++
		}
		return l, i, true
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		switch {
		case t.kind == 'w' && articleCodeWords[t.text] != "":
			if !setOnce(&named, articleCodeWords[t.text]) {
				return "", false // both codes
			}
			i++
		case t.kind == 'w' && articleFillerWords[t.text]:
			i++
		case t.kind == 'w' && articleWords[t.text]:
			i = skipDot(i + 1)
		case t.kind == 'w' && articlePartWords[t.text]:
			i = skipDot(i + 1)
			if i >= len(toks) || toks[i].kind != 'n' || !isInt(toks[i].text) || !setOnce(&part, toks[i].text) {
				return "", false
			}
			i++
		case t.kind == 'w' && articleClauseWords[t.text]:
			l, j, ok := letterAt(skipDot(i + 1))
			if !ok || !setOnce(&clause, l) {
				return "", false
			}
			i = j
		case t.kind == 'n':
			if number != "" {
				return "", false // several articles
			}
			number = t.text
			i++
			// The part and the clause in brackets: 207.3(2), 105(2)(а).
			if i+2 < len(toks) && toks[i].text == "(" && toks[i+1].kind == 'n' && isInt(toks[i+1].text) && toks[i+2].text == ")" {
				if !setOnce(&part, toks[i+1].text) {
					return "", false
				}
				i += 3
				if i < len(toks) && toks[i].text == "(" {
					l, j, ok := letterAt(i)
					if !ok || !setOnce(&clause, l) {
						return "", false
					}
					i = j
				}
			}
		case t.kind == 'p' && (strings.Contains(".,;№", t.text) || strings.Contains(articleQuotes, t.text)):
			i++
		default:
			return "", false
		}
	}
	if number == "" || strings.Count(number, ".") > 3 || len(number) > 20 || clause != "" && part == "" {
		return "", false
	}
	switch {
	case named == "" && code == "":
		code = CodeCriminal
	case named == "":
	case code == "" || code == named:
		code = named
	default:
		return "", false // the text and the code field disagree
	}
	if p := strings.TrimLeft(part, "0"); part != "" {
		if p == "" {
			return "", false // part 0
		}
		part = p
	}
	var b strings.Builder
	b.WriteString(code)
	b.WriteByte(' ')
	b.WriteString(number)
	if part != "" {
		b.WriteString("(" + part + ")")
	}
	if clause != "" {
		b.WriteString("(" + clause + ")")
	}
	return b.String(), true
}
