package index

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/casevault/casevault/schema/casegen"
	"pgregory.net/rapid"
)

// The corpus of name forms the search must match: Russian and Ukrainian
// surnames and given names, masculine and feminine, in all six cases
// (nominative, genitive, dative, accusative, instrumental, prepositional;
// Ukrainian -ові/-ою forms and the locative beside them), double-barrelled
// surnames, and transliterations of every form by three systems.

// A lemma is a name and its case forms; ukr marks Ukrainian spelling
// (transliterated by the systems' Ukrainian tables).
type lemma struct {
	forms []string
	ukr   bool
}

// decline makes the six case forms of stem with the endings of a
// paradigm.
func decline(stem string, endings ...string) []string {
	out := make([]string, len(endings))
	for i, e := range endings {
		out[i] = stem + e
	}
	return out
}

var (
	ovMasc     = []string{"", "а", "у", "а", "ым", "е"}            // Зайцев
	ovFem      = []string{"а", "ой", "ой", "у", "ой", "ой"}        // Зайцева
	inMasc     = []string{"", "а", "у", "а", "ым", "е"}            // Воронин
	skiyMasc   = []string{"ий", "ого", "ому", "ого", "им", "ом"}   // Шахновский
	skayaFem   = []string{"ая", "ой", "ой", "ую", "ой", "ой"}      // Шахновская
	nounMasc   = []string{"", "а", "у", "а", "ом", "е"}            // Глеб, Иван
	nounFemA   = []string{"а", "ы", "е", "у", "ой", "е"}           // Анна
	nounFemIya = []string{"ия", "ии", "ии", "ию", "ией", "ии"}     // Мария, Юлия
	yMasc      = []string{"ей", "ея", "ею", "ея", "еем", "ее"}     // Алексей, Андрей
	ukMasc     = []string{"", "а", "ові", "а", "ом", "і"}          // Тарас, Мельник (Ukrainian)
	ukFemA     = []string{"а", "и", "і", "у", "ою", "і"}           // Олена (Ukrainian)
	ukIy       = []string{"ій", "ія", "ієві", "ія", "ієм", "ієві"} // Григорій (Ukrainian)
	ukEnko     = []string{"о", "а", "ові", "а", "ом", "ові"}       // Шевченко (Ukrainian declension)
)

var nameCorpus = []lemma{
	{forms: decline("Зайцев", ovMasc...)}, {forms: decline("Зайцев", ovFem...)},
	{forms: decline("Кузнецов", ovMasc...)}, {forms: decline("Кузнецов", ovFem...)},
	{forms: decline("Бекмурзаев", ovMasc...)}, {forms: decline("Бекмурзаев", ovFem...)},
	{forms: decline("Соловьёв", ovMasc...)}, {forms: decline("Журавлёв", ovFem...)},
	{forms: decline("Воронин", inMasc...)}, {forms: decline("Хайруллин", inMasc...)},
	{forms: decline("Шахновск", skiyMasc...)}, {forms: decline("Шахновск", skayaFem...)},
	{forms: decline("Яблонск", skiyMasc...)}, {forms: decline("Залесск", skayaFem...)},
	{forms: decline("Глеб", nounMasc...)}, {forms: decline("Иван", nounMasc...)},
	{forms: decline("Анн", nounFemA...)}, {forms: decline("Мар", nounFemIya...)}, {forms: decline("Юл", nounFemIya...)},
	{forms: decline("Алекс", yMasc...)}, {forms: decline("Андр", yMasc...)},
	{forms: []string{"Шевченко", "Шевченко", "Шевченко", "Шевченко", "Шевченко", "Шевченко"}},
	{forms: decline("Римского-Корсаков", "", "а", "у", "а", "ым", "е")[0:0]}, // placeholder, replaced below
	{forms: decline("Тарас", ukMasc...), ukr: true}, {forms: decline("Мельник", ukMasc...), ukr: true},
	{forms: decline("Олен", ukFemA...), ukr: true}, {forms: decline("Григор", ukIy...), ukr: true},
	{forms: decline("Шевченк", ukEnko...), ukr: true}, {forms: decline("Ковальчук", ukMasc...), ukr: true},
}

func init() {
	// Double-barrelled: both parts decline.
	for i := range nameCorpus {
		if len(nameCorpus[i].forms) == 0 {
			nameCorpus[i].forms = []string{"Римский-Корсаков", "Римского-Корсакова", "Римскому-Корсакову",
				"Римского-Корсакова", "Римским-Корсаковым", "Римском-Корсакове"}
		}
	}
	nameCorpus = append(nameCorpus,
		lemma{forms: []string{"Кара-Мурза", "Кара-Мурзы", "Кара-Мурзе", "Кара-Мурзу", "Кара-Мурзой", "Кара-Мурзе"}},
		lemma{forms: []string{"Римская-Корсакова", "Римской-Корсаковой", "Римской-Корсаковой", "Римскую-Корсакову", "Римской-Корсаковой", "Римской-Корсаковой"}})
}

// translit writes s in Latin letters by table, word-initial variants
// first (keys "^е": е at the start of a word or after a vowel).
func translit(s string, table map[string]string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		lower := unicode.ToLower(r)
		key := string(lower)
		prevVowel := i == 0 || !unicode.IsLetter(rs[i-1]) || strings.ContainsRune("аеёиоуыэюяіїєьъй", unicode.ToLower(rs[i-1]))
		t, ok := table[key]
		if alt, has := table["^"+key]; has && prevVowel {
			t, ok = alt, true
		}
		if !ok {
			b.WriteRune(r)
			continue
		}
		if r != lower && t != "" {
			tr := []rune(t)
			t = string(unicode.ToUpper(tr[0])) + string(tr[1:])
		}
		b.WriteString(t)
	}
	return b.String()
}

func table(pairs string) map[string]string {
	m := map[string]string{}
	for _, p := range strings.Fields(pairs) {
		k, v, _ := strings.Cut(p, "=")
		m[k] = v
	}
	return m
}

var (
	common = "а=a б=b в=v д=d з=z к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f "
	// GOST 7.79-2000, system A (the ISO 9:1995 table).
	gostRU = table(common + "г=g е=e ё=ë ж=ž и=i й=j х=h ц=c ч=č ш=š щ=ŝ ъ=″ ы=y ь=′ э=è ю=û я=â")
	gostUK = table(common + "г=g ґ=g̀ е=e є=ê ж=ž и=i і=ì ї=ï й=j х=h ц=c ч=č ш=š щ=ŝ ь=′ ю=û я=â")
	// BGN/PCGN 1947 (Russian) and 1965 (Ukrainian).
	bgnRU = table(common + "г=g е=e ^е=ye ё=ë ^ё=yë ж=zh и=i й=y х=kh ц=ts ч=ch ш=sh щ=shch ъ=\" ы=y ь=' э=e ю=yu я=ya")
	bgnUK = table(common + "г=h ґ=g е=e є=ie ^є=ye ж=zh и=y і=i ї=i ^ї=yi й=i ^й=y х=kh ц=ts ч=ch ш=sh щ=shch ь=' ю=iu ^ю=yu я=ia ^я=ya")
	// ICAO Doc 9303 part 3 (machine-readable passports, Russia since 2013, Ukraine).
	icaoRU = table(common + "г=g е=e ё=e ж=zh и=i й=i х=kh ц=ts ч=ch ш=sh щ=shch ъ=ie ы=y ь= э=e ю=iu я=ia")
	icaoUK = table(common + "г=h ґ=g е=e є=ie ж=zh и=y і=i ї=i й=i х=kh ц=ts ч=ch ш=sh щ=shch ь= ю=iu я=ia")
)

// spellings returns a form as written in Cyrillic, upper case, and by
// each system.
func spellings(form string, ukr bool) map[string]string {
	g, b, i := gostRU, bgnRU, icaoRU
	if ukr {
		g, b, i = gostUK, bgnUK, icaoUK
	}
	return map[string]string{"cyrillic": form, "upper": strings.ToUpper(form),
		"gost": translit(form, g), "bgn": translit(form, b), "icao": translit(form, i)}
}

// found reports whether a query for q finds a text holding text.
func found(text, q string) bool {
	tf := TokenFields{}
	tf.add(text, 1)
	query, err := ParseQuery(q)
	if err != nil {
		return false
	}
	_, ok := query.MatchTokens(tf, -1)
	return ok
}

// TestNameFormsMatch: every case form of every name of the corpus, in
// every spelling, finds a text holding the name's nominative, and the
// nominative finds a text holding the form (a witness named in the
// instrumental, "избит Зайцевым").
func TestNameFormsMatch(t *testing.T) {
	var fails []string
	checked := 0
	for _, l := range nameCorpus {
		nom := l.forms[0]
		for c, form := range l.forms {
			for sys, s := range spellings(form, l.ukr) {
				checked += 2
				if !found(nom, s) {
					fails = append(fails, fmt.Sprintf("%s (case %d, %s) does not find %s", s, c+1, sys, nom))
				}
				if !found(s, nom) {
					fails = append(fails, fmt.Sprintf("%s does not find %s (case %d, %s)", nom, s, c+1, sys))
				}
			}
		}
	}
	t.Logf("%d searches of %d names in 6 cases × 5 spellings; %d fail", checked, len(nameCorpus), len(fails))
	for _, f := range fails {
		t.Error(f)
	}
}

// TestNameFormsProperty draws a name, a case form, a spelling and a
// direction at random, and a text of other words around it.
func TestNameFormsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := rapid.SampledFrom(nameCorpus).Draw(t, "name")
		form := rapid.SampledFrom(l.forms).Draw(t, "form")
		sp := spellings(form, l.ukr)
		sys := rapid.SampledFrom([]string{"cyrillic", "upper", "gost", "bgn", "icao"}).Draw(t, "system")
		filler := rapid.SliceOfN(rapid.StringMatching(`[a-zа-я]{1,9}`), 0, 5).Draw(t, "filler")
		text := strings.Join(append(filler, l.forms[0]), " ")
		if !found(text, sp[sys]) {
			t.Fatalf("%q (%s) does not find %q", sp[sys], sys, text)
		}
		text = strings.Join(append(filler, sp[sys]), ", ")
		if !found(text, l.forms[0]) {
			t.Fatalf("%q does not find %q", l.forms[0], text)
		}
	})
}

// TestNamePrecision measures how often unrelated names collide: over every
// pair of distinct surnames and given names of the test corpus and the
// case generator's pool (masculine and feminine), the share of pairs
// whose tokens are equal. Pairs that are one name (Журавлев, Журавлёв; a
// masculine and its feminine) do not count.
func TestNamePrecision(t *testing.T) {
	words := map[string]bool{}
	for _, w := range casegen.Names() {
		if !strings.Contains(w, "-") {
			words[w] = true
		}
	}
	for _, l := range nameCorpus {
		if !strings.Contains(l.forms[0], "-") {
			words[l.forms[0]] = true
		}
	}
	var list []string
	for w := range words {
		list = append(list, w)
	}
	sort.Strings(list)
	tok := map[string]string{}
	for _, w := range list {
		tok[w] = strings.Join(Tokens(w), " ")
	}
	pairs, collide := 0, 0
	var examples []string
	for i, a := range list {
		for _, b := range list[i+1:] {
			if sameName(a, b) {
				continue
			}
			pairs++
			if tok[a] == tok[b] {
				collide++
				if len(examples) < 20 {
					examples = append(examples, a+"="+b)
				}
			}
		}
	}
	rate := float64(collide) / float64(pairs)
	t.Logf("precision: %d of %d pairs of distinct names (%d names) share their tokens: %.4f%%; e.g. %s",
		collide, pairs, len(list), 100*rate, strings.Join(examples, " "))
	if rate > 0.001 {
		t.Errorf("%.3f%% of unrelated name pairs collide", 100*rate)
	}
}

// sameName reports two spellings of one name: ё/е, or a feminine form
// (Зайцева of Зайцев, Шахновская of Шахновский).
func sameName(a, b string) bool {
	n := func(s string) string {
		return strings.NewReplacer("ё", "е", "ій", "ий", "ий", "ая", "ой", "ая", "ый", "ая").Replace(strings.ToLower(s))
	}
	a, b = n(a), n(b)
	return a == b || a+"а" == b || b+"а" == a
}

// TestWordPrecision measures, over every word of 2,000 generated cases
// (names, facilities, regions, courts, descriptions, notes), how many
// distinct words share a token with another word. Word forms of one word
// (Омск, Омской) share one on purpose, so the figure is an upper bound of
// false matches; the test log lists examples to judge by.
func TestWordPrecision(t *testing.T) {
	g := casegen.NewRealistic(7)
	words := map[string]bool{}
	for range 2000 {
		var walkAny func(v any)
		walkAny = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for _, e := range v {
					walkAny(e)
				}
			case []any:
				for _, e := range v {
					walkAny(e)
				}
			case string:
				for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) }) {
					words[strings.ReplaceAll(strings.ToLower(w), "ё", "е")] = true
				}
			}
		}
		walkAny(g.Case())
	}
	byTok := map[string][]string{}
	for w := range words {
		if ts := Tokens(w); len(ts) == 1 {
			byTok[ts[0]] = append(byTok[ts[0]], w)
		}
	}
	shared, pairs := 0, 0
	var examples []string
	for _, ws := range byTok {
		if len(ws) < 2 {
			continue
		}
		sort.Strings(ws)
		shared += len(ws)
		pairs += len(ws) * (len(ws) - 1) / 2
		examples = append(examples, strings.Join(ws, "="))
	}
	sort.Strings(examples)
	if len(examples) > 40 {
		examples = examples[:40]
	}
	t.Logf("word precision: %d distinct words, %d share a token with another (%d pairs; word forms included): %s",
		len(words), shared, pairs, strings.Join(examples, " "))
}

// TestNamePrefixes: every prefix of 3 letters or more of a name of the
// corpus, in every spelling, finds a text holding the name (in any case
// form).
func TestNamePrefixes(t *testing.T) {
	var fails []string
	n, refused := 0, 0
	for _, l := range nameCorpus {
		for _, form := range []string{l.forms[0], l.forms[2]} {
			for sys, s := range spellings(l.forms[0], l.ukr) {
				rs := []rune(s)
				for k := 3; k <= len(rs); k++ {
					if !unicode.IsLetter(rs[k-1]) {
						continue
					}
					q := string(rs[:k]) + "*"
					if _, err := ParseQuery(q); errors.Is(err, ErrShortPrefix) {
						refused++ // fewer than 3 letters once folded (Zhu*: Zu): refused with an error
						continue
					}
					n++
					if !found(form, q) {
						fails = append(fails, q+" ("+sys+") → "+form)
					}
				}
			}
		}
	}
	t.Logf("prefixes: %d searches, %d do not find their name (%.1f%%), %d refused as shorter than 3 folded letters", n, len(fails), 100*float64(len(fails))/float64(n), refused)
	if len(fails)*50 > n { // more than 2%
		t.Errorf("prefixes that do not find their name: %s", strings.Join(fails, "; "))
	} else if len(fails) > 0 {
		t.Logf("not found (digraphs cut by the prefix): %s", strings.Join(fails, "; "))
	}
}
