package publish

import (
	"strings"
	"sync"

	"github.com/casevault/casevault/vault/internal/fold"
)

// Russian and Ukrainian names decline: Шахновский, Шахновского,
// Шахновскому; Горинов, Горинову, Гориновым; Глеб, Глеба. The suffix
// rules below strip the case endings of nouns and adjectives that
// surnames and given names take (Russian grammar as described in
// A. A. Zaliznyak's grammatical dictionary, and the Ukrainian -ові/-ою
// forms), after the word has become a skeleton, so that Latin
// transliterations of declined forms agree too. The -ов/-ев/-ин/-ск
// suffix of the surname itself is kept: Orlov and Orlova have the stem
// orlov, but Orlov and Orel do not agree.

// stem strips one case ending from a skeleton, keeping at least three
// letters (Глеба → gleb), or two after a vowel (Цою → co): fold.Stem.
func stem(skel string) string { return fold.Stem(skel) }

// givenNames are common given names (Russian, Ukrainian, Belarusian,
// Tatar, Crimean Tatar, Chechen and others found in the cases we document).
// A given name alone is not a person: only a surname, or a given name next
// to a surname, is searched for.
var givenNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		Иван Алексей Алексий Дмитрий Сергей Андрей Михаил Николай Павел Евгений Владимир Олег Игорь
		Константин Максим Артём Артем Денис Роман Кирилл Илья Егор Тимур Руслан Антон Виктор Юрий Борис
		Глеб Фёдор Федор Станислав Вадим Никита Григорий Лев Семён Семен Арсений Богдан Эмиль Сервер Ремзи
		Нариман Александр Василий Пётр Петр Георгий Геннадий Валерий Валентин Вячеслав Ярослав Леонид
		Анатолий Аркадий Виталий Владислав Всеволод Даниил Данила Захар Марк Матвей Тимофей Степан
		Филипп Эдуард Эльдар Рустам Ренат Ринат Айдар Азат Марат Ильдар Ильяс Рамиль Рафаэль Ахмед
		Ахмат Магомед Мухаммад Муса Иса Али Рамзан Заур Аслан Эрнест Эскендер Осман Энвер Зеки Рефат Ильми
		Тарас Остап Микола Олександр Сергій Андрій Юрій Василь Петро Іван Дмитро Богдан Олексій Ігор
		Анна Мария Мариа Елена Ольга Наталья Наталия Татьяна Ирина Светлана Екатерина Дарья Александра
		Юлия Ксения Софья София Валентина Людмила Полина Вера Надежда Жанна Алина Виктория Галина Лилия
		Эльмира Зарема Анастасия Евгения Марина Любовь Маргарита Вероника Алёна Алена Кристина Ангелина
		Оксана Олеся Яна Ульяна Варвара Василиса Диана Карина Лариса Нина Тамара Зоя Раиса Зинаида Зульфия
		Гульнара Алсу Лейла Лиля Айгуль Эльвира Регина Олена Ганна Катерина Наталія Тетяна
		Ivan Aleksei Alexei Alexey Dmitry Dmitri Sergei Sergey Andrei Andrey Mikhail Michael Nikolai
		Nicholas Pavel Paul Yevgeny Evgeny Eugene Vladimir Oleg Igor Konstantin Maksim Maxim Artyom Artem
		Denis Roman Kirill Ilya Yegor Egor Timur Ruslan Anton Viktor Victor Yury Yuri Boris Gleb Fyodor
		Stanislav Vadim Nikita Grigory Lev Leo Semyon Arseny Bogdan Emil Server Remzi Nariman Alexander
		Aleksandr Vasily Pyotr Peter Georgy George Gennady Valery Valentin Vyacheslav Yaroslav Leonid
		Anatoly Vitaly Vladislav Daniil Danila Zakhar Mark Matvei Timofei Stepan Philipp Eduard Eldar
		Rustam Renat Rinat Aidar Azat Marat Ildar Ilyas Ramil Akhmed Magomed Muhammad Musa Ali Ramzan
		Taras Ostap Mykola Oleksandr Andriy Yuriy Vasyl Petro Dmytro Oleksiy Ihor John James David
		Anna Maria Yelena Elena Olga Natalya Natalia Tatyana Irina Svetlana Yekaterina Ekaterina Darya
		Aleksandra Yulia Julia Ksenia Sofia Sophia Valentina Lyudmila Polina Vera Nadezhda Zhanna Alina
		Viktoria Victoria Galina Lilia Elmira Zarema Anastasia Marina Lyubov Margarita Veronika Alyona
		Kristina Oksana Olesya Yana Ulyana Varvara Diana Karina Larisa Nina Tamara Zoya Raisa Elvira Regina
		Olena Hanna Kateryna Mary Elizabeth Sarah`) {
		m[stem(skeleton(w))] = true
	}
	return m
})

// isGivenName reports whether a stem is a common given name.
func isGivenName(st string) bool { return givenNames()[st] }

// isPatronymic reports whether a skeleton is a Russian patronymic
// (Ivanovich, Ivanovna, Ильинична): the middle name that a surname alone
// must not be confused with.
func isPatronymic(skel string) bool {
	for _, e := range []string{"oviH", "eviH", "oviHa", "eviHa", "ovna", "evna", "iniHna", "iHna", "iH", "iHna"} {
		if strings.HasSuffix(skel, e) && len(skel) > len(e)+2 {
			return true
		}
	}
	return false
}

// roleWords are words a name field holds next to a name: ranks, roles,
// kinship and courtesy titles ("майор Дмитрий Савчук", "сокамерник
// Рустам Хайруллин", "lawyer Anna Petrova"). They are not part of the
// name: the surname alone is searched for.
var roleWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		сокамерник сокамерница сосед соседка майор капитан лейтенант старший младший полковник
		подполковник генерал сержант прапорщик рядовой следователь оперуполномоченный опер оперативник
		надзиратель конвоир начальник заместитель замначальника врач фельдшер психиатр адвокат
		защитник судья прокурор свидетель свидетельница сотрудник сотрудница инспектор дежурный
		мать отец брат сестра жена муж сын дочь тётя тетя дядя бабушка дедушка гражданин гражданка
		господин госпожа товарищ депутат журналист журналистка ст мл лейт кап подп полк
		cellmate inmate neighbour neighbor major captain lieutenant lt colonel col general sergeant
		sgt private investigator detective officer operative warden guard jailer doctor dr nurse
		psychiatrist lawyer attorney advocate counsel judge prosecutor witness employee inspector
		duty mother father brother sister wife husband son daughter aunt uncle grandmother
		grandfather mr mrs ms miss sir madam citizen comrade deputy journalist senior junior
		head chief deputy the of from mrs`) {
		m[stem(skeleton(w))] = true
	}
	return m
})

func isRoleWord(st string) bool { return roleWords()[st] }

// institutionWords are capitalised words of facility and institution names
// that are not surnames even when written in capitals.
var institutionWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`SIZO IK IVS ShIZO PKT FSB FSIN MVD SK GUFSIN UFSIN PNI KGB OMON
		СИЗО ИК ИВС ШИЗО ПКТ ФСБ ФСИН МВД СК ГУФСИН УФСИН ОМОН ЕПКТ`) {
		m[stem(skeleton(w))] = true
	}
	return m
})

// A personName is a name field's value split into its parts.
type personName struct {
	words []string // stems of the name words, in order (role words removed)
	skels []string // their skeletons
	given []bool   // the word is a common given name or a patronymic
}

// splitName splits a stored name value ("майор Дмитрий Савчук",
// "начальник отряда Фёдор Никитин") into role words and name words, or
// reports that the value is not a name ("head of the SIZO medical unit",
// "duty officer of SIZO-3, Omsk region"): a name is one to five
// capitalised words without digits, after any number of lower-case words
// (ranks, roles, kinship) and with role words allowed anywhere.
func splitName(value string, toks []token) (personName, bool) {
	var p personName
	if len(toks) == 0 || len(toks) > 9 {
		return p, false
	}
	for _, t := range toks {
		if t.digits {
			return p, false
		}
		if isRoleWord(t.stem) || isRoleWord(t.skel) {
			continue
		}
		if !t.upper {
			if len(p.words) > 0 {
				return p, false // a description after the name
			}
			continue // a role before it
		}
		if institutionWords()[t.stem] {
			return p, false
		}
		p.words = append(p.words, t.stem)
		p.skels = append(p.skels, t.skel)
		p.given = append(p.given, isGivenName(t.stem))
	}
	// A word in -ovich/-ovna is a patronymic only after a given name and
	// before a surname (Igor Petrovich Zhdanov), or last after a surname
	// and a given name (Жданов Игорь Петрович); otherwise it is a surname
	// (Igor Zhdanovich) and searched alone.
	n := len(p.words)
	for i := range p.words {
		if !p.given[i] && isPatronymic(p.skels[i]) && n >= 3 && i > 0 && p.given[i-1] &&
			(i < n-1 || !p.given[0]) {
			p.given[i] = true
		}
	}
	return p, n > 0 && n <= 5
}
