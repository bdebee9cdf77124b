package publish

import (
	"strings"
	"sync"
	"unicode"
)

// Federal districts of Russia and the regions in each, used to publish an
// anonymous case's region only as its district, and to group cases for the
// k-anonymity check (see anon.go).
//
// Source: Presidential Decree No. 849 of 13 May 2000 ("On the
// Plenipotentiary Representative of the President of the Russian Federation
// in a Federal District") with its later amendments: the North Caucasian
// district split from the Southern in January 2010, the Crimean district
// merged into the Southern in July 2016, Buryatia and Zabaykalsky Krai
// moved from the Siberian to the Far Eastern district in November 2018, and
// the occupied parts of Donetsk, Luhansk, Zaporizhzhia and Kherson regions
// assigned to the Southern district in 2023; as listed in Wikipedia,
// "Federal districts of Russia" (read November 2026). Occupied territories
// of Ukraine are grouped where the Russian administration places them
// because that is where their prisoners are prosecuted and held; the table
// implies no recognition. Each region is given by its English and Russian
// names (the words "region", "oblast", "krai", "republic" and their Russian
// equivalents are ignored when matching).
var federalDistricts = []struct {
	name    string
	regions []string
}{
	{"Central Federal District", []string{
		"belgorod|белгород|белгородская", "bryansk|брянск|брянская", "vladimir|владимир|владимирская",
		"voronezh|воронеж|воронежская", "ivanovo|иваново|ивановская", "kaluga|калуга|калужская",
		"kostroma|кострома|костромская", "kursk|курск|курская", "lipetsk|липецк|липецкая",
		"moscow|moskva|москва", "moscow oblast|московская|подмосковье", "oryol|orel|орел|орловская", "ryazan|рязань|рязанская",
		"smolensk|смоленск|смоленская", "tambov|тамбов|тамбовская", "tver|тверь|тверская",
		"tula|тула|тульская", "yaroslavl|ярославль|ярославская"}},
	{"Northwestern Federal District", []string{
		"karelia|карелия", "komi|коми", "arkhangelsk|архангельск|архангельская",
		"nenets|ненецкий", "vologda|вологда|вологодская", "kaliningrad|калининград|калининградская",
		"leningrad|ленинградская", "saint petersburg|petersburg|санкт петербург|петербург",
		"murmansk|мурманск|мурманская", "novgorod|veliky novgorod|новгород|новгородская",
		"pskov|псков|псковская"}},
	{"Southern Federal District", []string{
		"adygea|адыгея", "kalmykia|калмыкия", "krasnodar|kuban|краснодар|краснодарский",
		"astrakhan|астрахань|астраханская", "volgograd|волгоград|волгоградская",
		"rostov|ростов|ростовская", "crimea|krym|крым", "sevastopol|севастополь",
		"donetsk|донецк|донецкая|днр", "luhansk|lugansk|луганск|луганская|лнр",
		"zaporizhzhia|zaporozhye|запорожье|запорожская", "kherson|херсон|херсонская"}},
	{"North Caucasian Federal District", []string{
		"dagestan|дагестан", "ingushetia|ингушетия", "kabardino balkaria|кабардино балкария|кабардино балкарская",
		"karachay cherkessia|карачаево черкесия|карачаево черкесская", "north ossetia|северная осетия|осетия",
		"chechnya|chechen|чечня|чеченская", "stavropol|ставрополь|ставропольский"}},
	{"Volga Federal District", []string{
		"bashkortostan|bashkiria|башкортостан|башкирия", "mari el|марий эл", "mordovia|мордовия",
		"tatarstan|татарстан", "udmurtia|удмуртия|удмуртская", "chuvashia|чувашия|чувашская",
		"perm|пермь|пермский", "kirov|киров|кировская", "nizhny novgorod|нижний новгород|нижегородская",
		"orenburg|оренбург|оренбургская", "penza|пенза|пензенская", "samara|самара|самарская",
		"saratov|саратов|саратовская", "ulyanovsk|ульяновск|ульяновская"}},
	{"Ural Federal District", []string{
		"kurgan|курган|курганская", "sverdlovsk|yekaterinburg|ekaterinburg|свердловская|екатеринбург",
		"tyumen|тюмень|тюменская", "chelyabinsk|челябинск|челябинская",
		"khanty mansi|yugra|ханты мансийский|югра", "yamalo nenets|yamal|ямало ненецкий|ямал"}},
	{"Siberian Federal District", []string{
		"altai republic|республика алтай", "tuva|tyva|тыва|тува", "khakassia|хакасия",
		"altai krai|altai|алтайский|алтай", "krasnoyarsk|красноярск|красноярский",
		"irkutsk|иркутск|иркутская", "kemerovo|kuzbass|кемерово|кемеровская|кузбасс",
		"novosibirsk|новосибирск|новосибирская", "omsk|омск|омская", "tomsk|томск|томская"}},
	{"Far Eastern Federal District", []string{
		"buryatia|бурятия", "sakha|yakutia|саха|якутия", "zabaykalsky|zabaikalsky|chita|забайкальский|чита",
		"kamchatka|камчатка|камчатский", "primorsky|primorye|vladivostok|приморский|приморье|владивосток",
		"khabarovsk|хабаровск|хабаровский", "amur|амурская", "magadan|магадан|магаданская",
		"sakhalin|сахалин|сахалинская", "jewish|еврейская", "chukotka|чукотка|чукотский"}},
}

// regionWords are generic words of region names, ignored when matching.
var regionWords = map[string]bool{
	"region": true, "oblast": true, "krai": true, "kray": true, "territory": true, "republic": true,
	"of": true, "the": true, "autonomous": true, "okrug": true, "ao": true, "city": true, "federal": true,
	"область": true, "обл": true, "край": true, "республика": true, "автономный": true, "автономная": true,
	"округ": true, "ао": true, "город": true, "г": true, "st": true, "saint": true, "санкт": true,
}

var districtByName = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, d := range federalDistricts {
		for _, r := range d.regions {
			for _, n := range strings.Split(r, "|") {
				m[regionKey(n)] = d.name
			}
		}
	}
	return m
})

// regionKey is a region name in lower case, ё as е, punctuation as spaces,
// without the generic words.
func regionKey(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	var words []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !regionWords[w] {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// FederalDistrict returns the federal district of Russia of a region name
// ("Omsk", "Omsk region", "Омская область", "Republic of Crimea"), or ""
// when the region is not recognised.
func FederalDistrict(region string) string {
	k := regionKey(region)
	if k == "" {
		return ""
	}
	if d, ok := districtByName()[k]; ok {
		return d
	}
	// "Omsk region, IK-7": the first recognised word or pair of words.
	words := strings.Fields(k)
	for i := range words {
		if i+1 < len(words) {
			if d, ok := districtByName()[words[i]+" "+words[i+1]]; ok {
				return d
			}
		}
		if d, ok := districtByName()[words[i]]; ok {
			return d
		}
	}
	return ""
}
