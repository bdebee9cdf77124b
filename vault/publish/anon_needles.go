package publish

import (
	"strconv"
	"strings"
	"sync"

	"github.com/casevault/casevault/schema"
)

// addAnonymousOwn adds, for the anonymous record r, the details of its own
// person that an anonymous publication withholds whatever their level, as
// needles searched for in r's output only: its birth year (and so any
// birth date, however written or cut to the month), its age at detention
// and at the verdict written "aged 34", and the place words of its region
// and of its facilities (Crimea, Crimean, Simferopol), which with an
// article narrow a person down to a handful.
func (s *scanner) addAnonymousOwn(r *Record, src Source) {
	c := src.Case
	person := obj(c.Doc["person"])
	add := func(path, value string, words []string) {
		addTo(s.phrases, words[0], needle{words: words, caseID: src.CaseID, field: path, kind: "anonymised",
			org: src.Origin, secret: value, scope: r, strength: "value"})
	}
	birth := 0
	if b := str(person["birth_date"]); len(b) >= 4 {
		if y, err := strconv.Atoi(b[:4]); err == nil {
			birth = y
			add("person.birth_date", b, []string{b[:4]})
		}
	} else if y, ok := person["birth_year"].(float64); ok {
		birth = int(y)
		add("person.birth_year", strconv.Itoa(birth), []string{strconv.Itoa(birth)})
	}
	if birth > 0 {
		var years []string
		for _, d := range []string{str(obj(c.Doc["proceedings"])["verdict_date"]), firstDetention(c)} {
			if y, err := strconv.Atoi(prefix(d, 4)); err == nil && y > birth {
				years = append(years, strconv.Itoa(y-birth), strconv.Itoa(y-birth-1))
			}
		}
		for _, age := range years {
			for _, w := range ageWords() {
				add("person.birth_date", "age "+age, []string{w, age})
			}
			add("person.birth_date", "age "+age, []string{age, ageYear()})
		}
	}
	place := func(path, value string) {
		for _, t := range tokenize(value) {
			if t.digits || len(t.skel) < 4 || isStopword(t.skel) || placeWords()[t.stem] || institutionWords()[t.stem] {
				continue
			}
			add(path, value, []string{t.stem})
			for _, suf := range []string{"n", "an", "ian", "ski", "ska", "sk", "ets", "tsi"} {
				for _, u := range tokenize(t.skel + suf) {
					if u.stem != t.stem {
						add(path, value, []string{u.stem})
					}
				}
			}
		}
	}
	place("person.region", str(person["region"]))
	for i, d := range list(c.Doc["detention"]) {
		place("detention["+strconv.Itoa(i)+"].facility", str(obj(d)["facility"]))
	}
}

func firstDetention(c *schema.Case) string {
	first := ""
	for _, d := range list(c.Doc["detention"]) {
		if f := str(obj(d)["from"]); f != "" && (first == "" || f < first) {
			first = f
		}
	}
	return first
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// ageWords stand before an age ("aged 34", "age 34", "возраст 34"), and
// ageYear after it ("34 years old", "34-year-old", "34 лет"): the stems.
var (
	ageWords = sync.OnceValue(func() []string {
		var out []string
		for _, w := range strings.Fields(`aged age возраст возрасте`) {
			out = append(out, stem(skeleton(w)))
		}
		return out
	})
	ageYear = sync.OnceValue(func() string { return stem(skeleton("year")) })
)

// placeWords are the words of region and facility names that are not
// places: kinds of region and of institution.
var placeWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`republic respublika oblast region krai kray okrug autonomous autonomnyi city gorod
		federal district county province territory national state
		республика область край округ автономный автономная город федеральный район
		область обл респ колония colony prison penal settlement remand centre center detention
		isolator izolyator hospital psychiatric pretrial temporary correctional strict regime general
		исправительная колония следственный изолятор больница тюрьма`) {
		m[stem(skeleton(w))] = true
	}
	return m
})
