package vault

import "strings"

// Words and layouts zxcvbn's English dictionaries do not know, which an
// attacker against Russian- and Ukrainian-speaking lawyers tries first
// (issue 11, attack 03).

// ruWords are common Russian and Ukrainian words of passwords and of the
// organisations' own work.
var ruWords = []string{
	"пароль", "мемориал", "свобода", "правозащита", "правозащитник", "адвокат",
	"защита", "право", "права", "суд", "тюрьма", "политзаключенный", "политзаключённый",
	"россия", "украина", "москва", "киев", "київ", "україна", "свобода", "воля",
	"любовь", "кохання", "привет", "привіт", "солнце", "сонце", "мама", "папа",
	"наташа", "катя", "саша", "сергей", "андрей", "ольга", "игорь", "дмитрий",
	"qwerty", "йцукен", "фывапр", "ячсмит", "пароль123", "секрет", "таємниця",
}

// jcuken maps the keys of the Russian ЙЦУКЕН layout to the Latin letters
// on the same keys of QWERTY, so that zxcvbn sees "йцукен" as the
// keyboard walk "qwerty" it is.
var jcuken = strings.NewReplacer(
	"й", "q", "ц", "w", "у", "e", "к", "r", "е", "t", "н", "y", "г", "u", "ш", "i", "щ", "o", "з", "p", "х", "[", "ъ", "]",
	"ф", "a", "ы", "s", "в", "d", "а", "f", "п", "g", "р", "h", "о", "j", "л", "k", "д", "l", "ж", ";", "э", "'",
	"я", "z", "ч", "x", "с", "c", "м", "v", "и", "b", "т", "n", "ь", "m", "б", ",", "ю", ".", "ё", "`",
	"і", "s", "ї", "]", "є", "'",
)

// extraCandidates returns other forms of s to judge (the weakest counts):
// s on the QWERTY keys it is typed with, when it has Cyrillic letters.
func extraCandidates(s string) []string {
	low := strings.ToLower(s)
	if m := jcuken.Replace(low); m != low {
		return []string{m}
	}
	return nil
}

// repeatedWords reports whether s is one word repeated ("слово слово
// слово"), which zxcvbn scores as if the words were independent.
func repeatedWords(s string) bool {
	f := strings.Fields(strings.ToLower(s))
	if len(f) < 2 {
		return false
	}
	for _, w := range f[1:] {
		if w != f[0] {
			return false
		}
	}
	return true
}
