package casegen

// The word lists below are made up for testing or are public facts (articles
// of the Russian Criminal Code, regions, kinds of facilities). Names are
// common first names and surnames combined at random: no generated case
// describes a real person.

// A namePair is one name in Latin script and in Cyrillic, transliterated
// consistently.
type namePair struct{ lat, cyr string }

var maleFirst = []namePair{
	{"Ivan", "Иван"}, {"Aleksei", "Алексей"}, {"Dmitry", "Дмитрий"}, {"Sergei", "Сергей"},
	{"Andrei", "Андрей"}, {"Mikhail", "Михаил"}, {"Nikolai", "Николай"}, {"Pavel", "Павел"},
	{"Yevgeny", "Евгений"}, {"Vladimir", "Владимир"}, {"Oleg", "Олег"}, {"Igor", "Игорь"},
	{"Konstantin", "Константин"}, {"Maksim", "Максим"}, {"Artyom", "Артём"}, {"Denis", "Денис"},
	{"Roman", "Роман"}, {"Kirill", "Кирилл"}, {"Ilya", "Илья"}, {"Yegor", "Егор"},
	{"Timur", "Тимур"}, {"Ruslan", "Руслан"}, {"Anton", "Антон"}, {"Viktor", "Виктор"},
	{"Yury", "Юрий"}, {"Boris", "Борис"}, {"Gleb", "Глеб"}, {"Fyodor", "Фёдор"},
	{"Stanislav", "Станислав"}, {"Vadim", "Вадим"}, {"Nikita", "Никита"}, {"Grigory", "Григорий"},
	{"Lev", "Лев"}, {"Semyon", "Семён"}, {"Arseny", "Арсений"}, {"Bogdan", "Богдан"},
	{"Emil", "Эмиль"}, {"Server", "Сервер"}, {"Remzi", "Ремзи"}, {"Nariman", "Нариман"},
}

var femaleFirst = []namePair{
	{"Anna", "Анна"}, {"Maria", "Мария"}, {"Yelena", "Елена"}, {"Olga", "Ольга"},
	{"Natalya", "Наталья"}, {"Tatyana", "Татьяна"}, {"Irina", "Ирина"}, {"Svetlana", "Светлана"},
	{"Yekaterina", "Екатерина"}, {"Darya", "Дарья"}, {"Aleksandra", "Александра"}, {"Yulia", "Юлия"},
	{"Ksenia", "Ксения"}, {"Sofia", "Софья"}, {"Valentina", "Валентина"}, {"Lyudmila", "Людмила"},
	{"Polina", "Полина"}, {"Vera", "Вера"}, {"Nadezhda", "Надежда"}, {"Zhanna", "Жанна"},
	{"Alina", "Алина"}, {"Viktoria", "Виктория"}, {"Galina", "Галина"}, {"Lilia", "Лилия"},
	{"Elmira", "Эльмира"}, {"Zarema", "Зарема"},
}

// A surname has a masculine form; feminine forms add "a" (Petrov, Petrova)
// unless the surname does not change (Shevchenko) or changes its ending
// (Gorsky, Gorskaya).
type surname struct {
	lat, cyr string
	kind     byte // 'a': add a/а; 'i': -y/-ий to -aya/-ая; '=': unchanged
}

var surnames = []surname{
	{"Ivanov", "Иванов", 'a'}, {"Smirnov", "Смирнов", 'a'}, {"Kuznetsov", "Кузнецов", 'a'},
	{"Popov", "Попов", 'a'}, {"Vasilyev", "Васильев", 'a'}, {"Sokolov", "Соколов", 'a'},
	{"Mikhailov", "Михайлов", 'a'}, {"Novikov", "Новиков", 'a'}, {"Fyodorov", "Фёдоров", 'a'},
	{"Morozov", "Морозов", 'a'}, {"Volkov", "Волков", 'a'}, {"Alekseyev", "Алексеев", 'a'},
	{"Lebedev", "Лебедев", 'a'}, {"Semyonov", "Семёнов", 'a'}, {"Yegorov", "Егоров", 'a'},
	{"Pavlov", "Павлов", 'a'}, {"Kozlov", "Козлов", 'a'}, {"Stepanov", "Степанов", 'a'},
	{"Nikolayev", "Николаев", 'a'}, {"Orlov", "Орлов", 'a'}, {"Andreyev", "Андреев", 'a'},
	{"Makarov", "Макаров", 'a'}, {"Nikitin", "Никитин", 'a'}, {"Zakharov", "Захаров", 'a'},
	{"Zaitsev", "Зайцев", 'a'}, {"Solovyov", "Соловьёв", 'a'}, {"Borisov", "Борисов", 'a'},
	{"Yakovlev", "Яковлев", 'a'}, {"Grigoryev", "Григорьев", 'a'}, {"Romanov", "Романов", 'a'},
	{"Vorobyov", "Воробьёв", 'a'}, {"Sergeyev", "Сергеев", 'a'}, {"Frolov", "Фролов", 'a'},
	{"Belov", "Белов", 'a'}, {"Tarasov", "Тарасов", 'a'}, {"Komarov", "Комаров", 'a'},
	{"Gusev", "Гусев", 'a'}, {"Kiselyov", "Киселёв", 'a'}, {"Titov", "Титов", 'a'},
	{"Kuzmin", "Кузьмин", 'a'}, {"Baranov", "Баранов", 'a'}, {"Kulikov", "Куликов", 'a'},
	{"Petrov", "Петров", 'a'}, {"Sidorov", "Сидоров", 'a'}, {"Zhukov", "Жуков", 'a'},
	{"Gorsky", "Горский", 'i'}, {"Yablonsky", "Яблонский", 'i'}, {"Zalessky", "Залесский", 'i'},
	{"Shevchenko", "Шевченко", '='}, {"Bondarenko", "Бондаренко", '='}, {"Kovalenko", "Коваленко", '='},
	{"Tkachenko", "Ткаченко", '='}, {"Kravets", "Кравец", '='}, {"Umerov", "Умеров", 'a'},
	{"Asanov", "Асанов", 'a'}, {"Ibragimov", "Ибрагимов", 'a'}, {"Khalilov", "Халилов", 'a'},
	{"Yusupov", "Юсупов", 'a'}, {"Gareyev", "Гареев", 'a'}, {"Safin", "Сафин", 'a'},
}

func (s surname) feminine() (lat, cyr string) {
	switch s.kind {
	case 'a':
		return s.lat + "a", s.cyr + "а"
	case 'i':
		return s.lat[:len(s.lat)-1] + "aya", s.cyr[:len(s.cyr)-len("ий")] + "ая"
	}
	return s.lat, s.cyr
}

// An article of the Russian Criminal Code used against political
// prisoners, with the parts that occur and its title in English.
type article struct {
	number string
	parts  []string
	title  string
	weight int
	since  int // year the article came into force, if after 2014
}

var articles = []article{
	{"207.3", []string{"1", "2"}, "Public dissemination of knowingly false information about the use of the Armed Forces of the Russian Federation", 14, 2022},
	{"280.3", []string{"1", "2"}, "Public actions aimed at discrediting the Armed Forces of the Russian Federation", 10, 2022},
	{"275", nil, "High treason", 8, 0},
	{"275.1", nil, "Confidential cooperation with a foreign state or a foreign organisation", 3, 2022},
	{"205.2", []string{"1", "2"}, "Public calls for terrorist activity, public justification of terrorism or propaganda of terrorism", 10, 0},
	{"205.5", []string{"1", "2"}, "Organising the activity of a terrorist organisation and participation in it", 6, 0},
	{"205.1", []string{"1", "1.1"}, "Assistance to terrorist activity", 3, 0},
	{"282.2", []string{"1", "1.1", "2"}, "Organising the activity of an extremist organisation, or participation in it", 10, 0},
	{"282.3", []string{"1"}, "Financing extremist activity", 4, 0},
	{"212.1", nil, "Repeated violation of the procedure for organising or holding a public event", 2, 0},
	{"318", []string{"1", "2"}, "Use of violence against a representative of authority", 4, 0},
	{"280.4", []string{"1", "2", "3"}, "Public calls for activity directed against the security of the state", 5, 2014},
	{"280", []string{"1", "2"}, "Public calls for extremist activity", 4, 0},
	{"282", []string{"1", "2"}, "Incitement of hatred or enmity, and humiliation of human dignity", 2, 0},
	{"284.1", []string{"1", "2"}, "Carrying out the activity of an undesirable organisation", 4, 2015},
	{"354.1", []string{"1", "2", "3"}, "Rehabilitation of Nazism", 2, 2014},
	{"330.1", []string{"1", "2"}, "Evasion of the duties of a foreign agent", 2, 2012},
	{"213", []string{"1", "2"}, "Hooliganism", 2, 0},
	{"167", []string{"1", "2"}, "Intentional destruction or damage of property", 2, 0},
	{"148", []string{"1"}, "Violation of the right to freedom of conscience and religion", 1, 0},
	{"212", []string{"1", "2"}, "Mass riots", 1, 0},
	{"205", []string{"1", "2"}, "Terrorist act", 1, 0},
	{"281", []string{"1", "2"}, "Sabotage", 1, 0},
}

var regions = []string{
	"Moscow", "Moscow region", "St Petersburg", "Republic of Crimea", "Sevastopol", "Krasnodar region",
	"Rostov region", "Omsk region", "Bashkortostan", "Tatarstan", "Sverdlovsk region", "Novosibirsk region",
	"Khabarovsk region", "Perm region", "Chelyabinsk region", "Kaliningrad region", "Vladimir region",
	"Republic of Karelia", "Primorsky region", "Irkutsk region", "Samara region", "Nizhny Novgorod region",
	"Tomsk region", "Yakutia", "Dagestan", "Chechnya", "Murmansk region", "Yaroslavl region", "Tver region",
	"Kursk region", "Belgorod region", "Bryansk region", "Voronezh region", "Saratov region", "Volgograd region",
	"Kemerovo region", "Krasnoyarsk region", "Zabaykalsky region", "Buryatia", "Komi Republic",
}

var occupations = []string{
	"teacher", "journalist", "engineer", "student", "doctor", "pensioner", "municipal deputy",
	"lawyer", "artist", "musician", "programmer", "priest", "shop assistant", "driver", "nurse",
	"scientist", "blogger", "activist", "entrepreneur", "construction worker", "poet", "photographer",
	"historian", "electrician", "factory worker", "farmer", "translator", "civil activist", "theatre director",
}

var reasons = []string{
	"anti-war posts on VKontakte", "a single-person picket with a blank sign", "donations to the Anti-Corruption Foundation",
	"comments in a Telegram chat", "an anti-war slogan painted on a wall", "a video about the shelling of Ukrainian cities",
	"membership of a Jehovah's Witnesses congregation", "reading the Quran with friends at home", "a speech at a municipal council meeting",
	"price tags replaced with anti-war messages", "a transfer of money to a Ukrainian charity", "a poem read at Mayakovsky Square",
	"an interview with a foreign journalist", "flowers laid at a memorial", "a YouTube channel about political prisoners",
	"a message to an old friend in Kyiv", "participation in a peaceful protest", "a lecture on the history of repression",
}

var mistreatmentWords = map[string]string{
	"beating":                "Beaten by guards during a search of the cell.",
	"torture":                "Tortured with electric shocks during the first interrogation.",
	"threats":                "Threatened with a new criminal case if the complaint is not withdrawn.",
	"denial-of-medical-care": "Medical examination refused despite a chronic illness.",
	"punitive-psychiatry":    "Sent to a psychiatric examination without grounds.",
	"solitary-confinement":   "Placed in a punishment cell (ШИЗО) for a minor infraction.",
	"forced-confession":      "Made to confess on video under pressure.",
	"pressure-on-relatives":  "Relatives questioned and threatened by investigators.",
	"sleep-deprivation":      "Kept awake for two days after the arrest.",
	"other":                  "Letters withheld for several months.",
}

var mistreatmentKinds = []string{
	"beating", "torture", "threats", "denial-of-medical-care", "punitive-psychiatry",
	"solitary-confinement", "forced-confession", "pressure-on-relatives", "sleep-deprivation", "other",
}

var conditions = []string{
	"solitary-confinement", "denied-medical-care", "overcrowding", "no-correspondence",
	"no-family-visits", "no-lawyer-access", "forced-labour", "psychiatric-pressure",
	"cold-or-unsanitary", "transfer-incommunicado",
}

var militaryCourts = []string{
	"Southern District Military Court", "Second Western District Military Court",
	"Central District Military Court", "Pacific Fleet Military Court", "Moscow District Military Court",
}

var judges = []namePair{
	{"A. V. Kuznetsov", ""}, {"I. N. Sokolova", ""}, {"S. P. Orlov", ""}, {"M. A. Belova", ""},
	{"D. I. Komarov", ""}, {"Ye. V. Zaitseva", ""}, {"R. R. Safin", ""}, {"O. G. Titova", ""},
}
