package publish

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
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

// latinFolds merge Latin spellings that transliterations of the same
// Cyrillic letter use: Kh/H, Ts/Tz/C, Yu/Iu/Ju, X/Ks and so on. They are
// applied to both sides of a comparison, in this order.
var latinFolds = strings.NewReplacer(
	"shch", "sh", "sch", "sh", "kh", "h", "tz", "c", "ts", "c", "x", "ks",
	"ph", "f", "w", "v", "y", "i", "j", "i", "q", "k",
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

// skeleton reduces one word to the form that comparisons use: lower case,
// Latin script, common transliteration variants merged and doubled letters
// collapsed and combining marks dropped, so that "Иванов", "IVANOV" and
// "Iwanow" agree, as do "Юлия", "Yuliya", "Iuliia" and "Julia", and a
// decomposed "й" or "ё" and a precomposed one.
func skeleton(word string) string {
	s := strings.ToLower(word)
	s = Transliterate(s)
	s = latinFolds.Replace(s)
	var b strings.Builder
	var last rune = -1
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue // decomposed й, ё and accents: the base letter counts
		}
		if r == last && !unicode.IsDigit(r) {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// A token is a word of a text: a maximal run of letters and digits, with
// its byte range in the text and its skeleton.
type token struct {
	start, end int
	skel       string
	upper      bool // the word starts with an upper-case letter
}

// tokenize splits s into words. Combining marks stay in their word.
func tokenize(s string) []token {
	var out []token
	start := -1
	for i := 0; i <= len(s); {
		r, size := utf8.RuneError, 1
		if i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		inWord := i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.Is(unicode.Mn, r)))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			w := s[start:i]
			first, _ := utf8.DecodeRuneInString(w)
			out = append(out, token{start: start, end: i, skel: skeleton(w), upper: unicode.IsUpper(first)})
			start = -1
		}
		i += size
	}
	return out
}

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
