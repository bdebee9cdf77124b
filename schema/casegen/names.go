package casegen

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Realistic names: surnames drawn with a Zipf-like frequency (the most
// common surname about as frequent as in Russian registers, where Ivanov,
// Smirnov and Kuznetsov each cover roughly 1% of people and the tail is
// long), both genders, Russian, Ukrainian, Belarusian, Tatar, Crimean Tatar
// and Caucasian, in Cyrillic with a BGN/PCGN-style Latin transliteration.
// Judges, lawyers, witnesses and perpetrators are drawn from the same
// pool, so their names overlap prisoners' as they do in reality.

// surnamePool is ordered from the most to the least common (a rough order
// after published frequency lists; the exact ranks do not matter for
// tests, the long tail and the repetitions do).
const surnamePool = `Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров
Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов
Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов
Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов
Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков
Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв
Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников
Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев
Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов
Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронцов Капустин
Горский Яблонский Залесский Островский Вишневский Ковальский Жуковский Покровский Успенский Троицкий
Шевченко Бондаренко Коваленко Ткаченко Кравченко Олейник Шевчук Коваль Поляков Бойко Мельник Лысенко
Руденко Савчук Марченко Мороз Кравец Петренко Клименко Павленко Левченко Гончаренко Тимошенко Кузьменко
Ковальчук Романенко Карпенко Приходько Литвиненко Костенко Данильченко Онищенко Мартыненко Билык
Умеров Асанов Ибрагимов Халилов Юсупов Гареев Сафин Хайруллин Абдуллаев Алиев Мамедов Гасанов
Исмаилов Ахмедов Валиев Галиев Зиннатуллин Мухаметшин Шарипов Хабибуллин Гайнуллин Нуриев Кадыров
Сулейманов Бекиров Джемилев Чубаров Куку Эмиров Сеитов Аметов Меметов Абдураманов Муратов Османов
Шахновский Карамурза Горинов Яшин Навальный Кара-Мурза Скочиленко Гришкевич Барабанов Бекмурзаев
Лебединский Белецкий Городецкий Дубровский Заречный Каменский Луговской Никольский Преображенский
Рождественский Соловейчик Тополев Уваров Фадеев Хохлов Царёв Чайкин Шилов Щукин Эйдельман Юрьев Ярцев
Агеев Бобров Веселов Глебов Дьячков Ершов Жданов Зуев Ильюшин Калашников Лаптев Мухин Носов Окунев
Пестов Рябов Сазонов Третьяков Ульянов Хомяков Цыганков Чистяков Шубин Щеглов Яковенко Астахов Блинов
Вихров Горелов Дорофеев Евдокимов Жилин Зимин Игнатьев Кабанов Ломакин Мишин Новосёлов Одинцов Пахомов
Рогов Суханов Тюрин Устинов Хрусталёв Чижов Шаров Юшков Якушев Гордеев Журавлев Логинов Сизов Ким Ли Цой Пак`

type realName struct {
	lat, cyr   string // masculine
	latF, cyrF string // feminine
}

var pool = sync.OnceValue(func() []realName {
	var out []realName
	seen := map[string]bool{}
	for _, w := range strings.Fields(surnamePool) {
		if seen[w] {
			continue
		}
		seen[w] = true
		f := feminineCyr(w)
		out = append(out, realName{lat: latin(w), cyr: w, latF: latin(f), cyrF: f})
	}
	return out
})

// cumulative Zipf weights (s = 1) over the pool.
var zipf = sync.OnceValue(func() []float64 {
	p := pool()
	c := make([]float64, len(p))
	sum := 0.0
	for i := range p {
		sum += 1 / math.Pow(float64(i+1), 1.0)
		c[i] = sum
	}
	for i := range c {
		c[i] /= sum
	}
	return c
})

// realSurname draws a surname from the pool with Zipf frequencies.
func (g *Generator) realSurname() realName {
	x := g.r.Float64()
	c := zipf()
	return pool()[sort.SearchFloat64s(c, x)%len(c)]
}

// feminineCyr returns the feminine form of a Russian surname.
func feminineCyr(s string) string {
	switch {
	case strings.HasSuffix(s, "ский"), strings.HasSuffix(s, "цкий"):
		return strings.TrimSuffix(s, "ий") + "ая"
	case strings.HasSuffix(s, "ской"), strings.HasSuffix(s, "ной"):
		return strings.TrimSuffix(s, "ой") + "ая"
	case strings.HasSuffix(s, "ый"):
		return strings.TrimSuffix(s, "ый") + "ая"
	case strings.HasSuffix(s, "ов"), strings.HasSuffix(s, "ев"), strings.HasSuffix(s, "ёв"),
		strings.HasSuffix(s, "ин"), strings.HasSuffix(s, "ын"):
		return s + "а"
	}
	return s
}

var bgn = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", '-': "-",
}

// latin transliterates a Cyrillic name as English-language reports do
// (BGN/PCGN without diacritics; -ий and -ый as -y; е as ye after a vowel
// or at the start).
func latin(s string) string {
	rs := []rune(strings.ToLower(s))
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r == 'и' || r == 'ы') && i+2 == len(rs) && rs[i+1] == 'й' {
			b.WriteString("y")
			i++
			continue
		}
		if r == 'е' && (i == 0 || strings.ContainsRune("аеёиоуыэюяьъ", rs[i-1])) {
			b.WriteString("ye")
			continue
		}
		if t, ok := bgn[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	out := []rune(b.String())
	up := true
	for i, r := range out {
		if up {
			out[i] = unicode.ToUpper(r)
		}
		up = r == '-'
	}
	return string(out)
}

// ranks are the role words written before a perpetrator's name.
var ranks = []string{"майор", "капитан", "старший лейтенант", "следователь", "начальник отряда", "оперуполномоченный"}

// witnessRoles are the role words written before a witness's name.
var witnessRoles = []string{"сокамерник", "сосед", "cellmate", "свидетель"}

// realFirst draws a given name of a gender.
func (g *Generator) realFirst(female bool) namePair {
	if female {
		return femaleFirst[g.pick(len(femaleFirst))]
	}
	return maleFirst[g.pick(len(maleFirst))]
}

// realPerson returns a full name in Latin and Cyrillic.
func (g *Generator) realPerson(female bool) (lat, cyr string) {
	f := g.realFirst(female)
	s := g.realSurname()
	if female {
		return f.lat + " " + s.latF, f.cyr + " " + s.cyrF
	}
	return f.lat + " " + s.lat, f.cyr + " " + s.cyr
}
