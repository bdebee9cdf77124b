package fold

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/casevault/casevault/schema/casegen"
)

// firstNames are given names and their short forms whose stems are short,
// beside the case generator's pool. Мая, a name spelled as the word мая,
// is left out: nothing that ignores letter case tells them apart.
var firstNames = strings.Fields(`Анна Аня Яна Эмма Элла Эля Инна Ина Илья Ира Юра Юля Юлия Оля Аля Ася Ева
	Ада Ида Ия Майя Мия Ян Ума Ника Нина Лена Вика Ли Ким Пак Цой Ваня Вова Дима Тоня Лиза Зоя Уля Таня
	Миша Маша Саша Даша Паша Петя Федя Катя Настя Света Рита Люба Вера Галя Гуля Ахмед Али Эльза Инга Ося Ан
	Юн Нил Неля Ann Anna Emma Ella Ilya Ian Yan Eva Ada Mia Maya Ina`)

// TestCommonWordsAreNotNames: each common word kept whole is found by
// itself in any letter case, and its token is no name's, though without
// the list the token of или, ему, мая, июля and any was one (Илья, Эмма,
// Майя, Юлия, Анна).
func TestCommonWordsAreNotNames(t *testing.T) {
	names := map[string]string{} // token → a name
	for _, n := range append(casegen.Names(), firstNames...) {
		for _, w := range Words(n) {
			names[w.Token] = n
		}
	}
	for cw := range commonWords {
		var norm []rune
		for _, r := range cw {
			norm = AppendRune(norm, r)
		}
		if string(norm) != cw || utf8.RuneCountInString(cw) > maxCommonLetters || len(cw) > maxCommonWord {
			t.Errorf("common word %q is not as AppendRune writes it (%q) or too long: it would never match", cw, string(norm))
		}
		title := strings.ToUpper(cw[:len(string([]rune(cw)[0]))]) + cw[len(string([]rune(cw)[0])):]
		var toks []string
		for _, s := range []string{cw, strings.ToUpper(cw), title} {
			ws := Words(s)
			if len(ws) != 1 || ws[0].Token != ws[0].Skeleton+CommonWordMark {
				t.Fatalf("%q gives %+v, want one word kept whole", s, ws)
			}
			toks = append(toks, ws[0].Token)
		}
		if toks[0] != toks[1] || toks[0] != toks[2] {
			t.Errorf("%q: tokens %q differ by letter case", cw, toks)
		}
		if n, ok := names[toks[0]]; ok {
			t.Errorf("common word %q has the token %q of the name %s", cw, toks[0], n)
		}
	}
	for _, c := range []struct{ word, name string }{{"или", "Илья"}, {"ему", "Эмма"}, {"мая", "Майя"}, {"июля", "Юлия"}, {"any", "Анна"}} {
		skel, st := SkeletonStem([]rune(c.word))
		if tok := searchStem(skel, st); names[tok] == "" {
			t.Errorf("without the list %s would be %q, no name's token: the list is not needed for it", c.word, tok)
		}
	}
}
