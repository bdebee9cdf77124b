package publish

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldCorpus is the corpus on which the site's fold (filter.js) must agree
// with Go's: Russian and Ukrainian surnames, given names and patronymics in
// all six cases (and the Ukrainian vocative), masculine and feminine,
// double-barrelled, each also in four transliterations (GOST 7.79-2000
// systems A and B, BGN/PCGN, ICAO 9303), in upper and lower case, and texts
// that exercise the normalisation (accents, ligatures, full-width letters,
// look-alike letters of the other script, zero-width characters,
// apostrophes and hyphens).
func foldCorpus() []string {
	var words []string
	for _, d := range declensions {
		for _, stem := range d.stems {
			for _, end := range d.endings {
				words = append(words, decline(stem, end))
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range words {
		add(w)
		add(strings.ToUpper(w))
		for _, sys := range translitSystems {
			add(sys.apply(w))
		}
	}
	for _, w := range foldExtras {
		add(w)
	}
	return out
}

// decline joins a stem and an ending; a stem "A-B" with an ending "x|y"
// declines both parts (Римский-Корсаков: Римского-Корсакова).
func decline(stem, end string) string {
	a, b, double := strings.Cut(stem, "-")
	e1, e2, two := strings.Cut(end, "|")
	switch {
	case double && two:
		return a + e1 + "-" + b + e2
	case double:
		return a + "-" + b + end
	case two:
		return a + e1
	}
	return stem + end
}

// A declension is a paradigm: stems that take the same endings, in case
// order (nominative, genitive, dative, accusative, instrumental,
// prepositional/locative, and the Ukrainian vocative where given).
type declension struct {
	stems   []string
	endings []string
}

var declensions = []declension{
	// Russian surnames in -ов/-ев/-ин, masculine and feminine.
	{[]string{"Иванов", "Кузнецов", "Зайцев", "Соловьёв", "Бекмурзаев", "Горинов", "Садыков", "Баранов", "Семёнов", "Щербаков", "Чернышёв", "Жуков", "Хабибуллин", "Пушкин", "Ильин", "Юдин", "Эфендиев", "Шпаков"},
		[]string{"", "а", "у", "а", "ым", "е", "а", "ой", "ой", "у", "ой", "ой"}},
	// Adjectival surnames in -ский/-цкий/-ый/-ой.
	{[]string{"Шахновск", "Достоевск", "Белецк", "Навальн", "Толст", "Трубецк"},
		[]string{"ий", "ого", "ому", "ого", "им", "ом", "ая", "ой", "ой", "ую", "ой", "ой"}},
	// Consonant-final surnames and given names (masculine).
	{[]string{"Глеб", "Иван", "Лев", "Тимур", "Рустам", "Зильберман", "Эскендер", "Нариман"},
		[]string{"", "а", "у", "а", "ом", "е"}},
	// Names in -ей/-ий/-ой (Алексей, Дмитрий, Цой).
	{[]string{"Алексе", "Серге", "Андре", "Цо"},
		[]string{"й", "я", "ю", "я", "ем", "е"}},
	{[]string{"Дмитри", "Юри", "Евгени", "Арсени"},
		[]string{"й", "я", "ю", "я", "ем", "и"}},
	// Feminine names in -а, -ия, -ья.
	{[]string{"Анн", "Елен", "Ольг", "Оксан", "Зарем", "Ирин"},
		[]string{"а", "ы", "е", "у", "ой", "е"}},
	{[]string{"Мари", "Юли", "Ксени", "Натали", "Анастаси", "Лили"},
		[]string{"я", "и", "и", "ю", "ей", "и"}},
	{[]string{"Дарь", "Наталь", "Софь", "Тать"},
		[]string{"я", "и", "е", "ю", "ей", "е"}},
	// Masculine in -а/-я (Илья, Никита) and double-barrelled names.
	{[]string{"Никит", "Кара-Мурз", "Муз"},
		[]string{"а", "ы", "е", "у", "ой", "е"}},
	{[]string{"Римск-Корсаков"},
		[]string{"ий|", "ого|а", "ому|у", "ого|а", "им|ым", "ом|е", "ая|а", "ой|ой", "ой|ой", "ую|у", "ой|ой", "ой|ой"}},
	{[]string{"Бонч-Бруевич", "Петров-Водкин", "Салтыков-Щедрин"},
		[]string{"", "а", "у", "а", "ым", "е"}},
	// Patronymics.
	{[]string{"Владимирович", "Игоревич", "Ильич"}, []string{"", "а", "у", "а", "ем", "е"}},
	{[]string{"Владимировн", "Сергеевн", "Ильиничн"}, []string{"а", "ы", "е", "у", "ой", "е"}},
	// Ukrainian: -енко (the -ові dative and locative, the vocative).
	{[]string{"Шевченк", "Коваленк", "Лук'яненк", "Тимошенк"},
		[]string{"о", "а", "ові", "а", "ом", "ові", "у"}},
	// Ukrainian -ський, masculine and feminine.
	{[]string{"Грушевськ", "Заболотськ", "Ковальськ"},
		[]string{"ий", "ого", "ому", "ого", "им", "ому", "ім", "а", "ої", "ій", "у", "ою", "ій"}},
	// Ukrainian given names and surnames.
	{[]string{"Олександр", "Євген", "Сенцов", "Джемілєв", "Чубаров", "Тарас", "Остап"},
		[]string{"", "а", "ові", "а", "ом", "ові", "е", "у", "і"}},
	{[]string{"Андрі", "Сергі", "Юрі"},
		[]string{"й", "я", "єві", "я", "єм", "ї", "ю"}},
	{[]string{"Ігор"}, []string{"", "я", "еві", "ем", "ю"}},
	{[]string{"Олен", "Ґонт", "Ганн", "Оксан", "Катерин"},
		[]string{"а", "и", "і", "у", "ою", "о"}},
	{[]string{"Юлі", "Наталі", "Марі"},
		[]string{"я", "ї", "ю", "єю", "є"}},
	{[]string{"Їжакевич", "Ґудзь", "Щербак", "Пʼятак"}, []string{"", "а", "у", "ові", "ем", "ом"}},
}

// A translitSystem writes Cyrillic in Latin letters.
type translitSystem struct {
	name    string
	letters map[rune]string
	// initial replaces letters at the start of a word or after a vowel
	// (BGN/PCGN е → ye).
	initial map[rune]string
}

func (s translitSystem) apply(w string) string {
	var b strings.Builder
	prevVowel := true
	for _, r := range w {
		lr := unicode.ToLower(r)
		t, ok := s.letters[lr]
		if v, ok2 := s.initial[lr]; ok2 && prevVowel {
			t, ok = v, true
		}
		if !ok {
			b.WriteRune(r)
			prevVowel = false
			continue
		}
		if lr != r && t != "" {
			f, n := utf8.DecodeRuneInString(t)
			t = string(unicode.ToUpper(f)) + t[n:]
		}
		b.WriteString(t)
		prevVowel = strings.ContainsRune("аеёиоуыэюяіїє", lr)
	}
	return b.String()
}

func translitTable(pairs string) map[rune]string {
	m := map[rune]string{}
	for _, p := range strings.Fields(pairs) {
		r, n := utf8.DecodeRuneInString(p)
		m[r] = strings.TrimPrefix(p[n:], "=")
	}
	return m
}

// common letters of all four systems
const translitCommon = `а=a б=b в=v д=d з=z к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f `

var translitSystems = []translitSystem{
	// GOST 7.79-2000 system A (ISO 9:1995), with diacritics.
	{name: "GOST 7.79 A", letters: translitTable(translitCommon + `г=g е=e ё=ë ж=ž и=i й=j х=h ц=c ч=č ш=š щ=ŝ ъ=ʺ ы=y ь=ʹ э=è ю=û я=â і=ì ї=ï є=ê ґ=g̀ ʼ=ʼ '='`)},
	// GOST 7.79-2000 system B, ASCII only.
	{name: "GOST 7.79 B", letters: translitTable(translitCommon + "г=g е=e ё=yo ж=zh и=i й=j х=x ц=cz ч=ch ш=sh щ=shh ъ=`` ы=y' ь=` э=e` ю=yu я=ya і=i ї=yi є=ye ґ=g` ʼ=' '='")},
	// BGN/PCGN 1947 (Russian), 1965 (Ukrainian: г=h, и=y).
	{name: "BGN/PCGN", letters: translitTable(translitCommon + `г=g е=e ё=ë ж=zh и=i й=y х=kh ц=ts ч=ch ш=sh щ=shch ъ=” ы=y ь=’ э=e ю=yu я=ya і=i ї=yi є=ye ґ=g ʼ=’ '=’`),
		initial: translitTable(`е=ye ё=yë`)},
	// ICAO Doc 9303 (machine-readable passports).
	{name: "ICAO 9303", letters: translitTable(translitCommon + `г=g е=e ё=e ж=zh и=i й=i х=kh ц=ts ч=ch ш=sh щ=shch ъ=ie ы=y ь= э=e ю=iu я=ia і=i ї=i є=ie ґ=g ʼ= '=`)},
}

// foldExtras are texts for the normalisation and the word splitting.
var foldExtras = []string{
	"Kara-Murza", "Kara‐Murza", "O'Brien's", "Dar'ya", "Darʹja", "Obʺedkov", "Łukasz Żuławski", "Schachnowski", "Šachnovskij",
	"Kouznetsova", "Kusnezowa", "Kuzniecowa", "Iwanowa", "Jelena", "Yelena", "Julija", "Iuliia", "Gröber", "Straße", "Ærø",
	"Кузнeцова",  // a Latin e among Cyrillic letters
	"Kuznеtsova", // a Cyrillic е among Latin letters
	"Ｋｕｚｎｅｔｓｏｖａ", // full-width
	"Кузне\u200bцова", "Ива\u00adнов", "ﬁlipp", "Ἀλέξανδρος", "Σωκράτης", "ǅukić", "Ǆ", "İlham", "ıvan",
	"ИВАНОВ-ПЕТРОВ", "207.3(2)", "RU-CC 207.3(2)", "IK-6, Omsk region", "SIZO-1", "2023-04-28", "Ё Ёлкин ёжик",
	"Хаджи-Мурат", "Ткаченко-Ковальчук", "Зайцеву", "бекмурзаева", "Омск", "Omsk", "ворон", "Воронеж",
	"Tsoi", "Tsoy", "Цой", "Choi", "shch", "tsch", "Deutsch", "Zhenya", "Sasha", "Xenia", "Ksenia", "Quba", "Wladimir",
}
