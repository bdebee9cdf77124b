package publish

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema"
)

// DefaultK is the k of the k-anonymity check when Options.K is 0: the
// details published of an anonymous case must fit at least this many cases.
const DefaultK = 3

// defaultK is DefaultK; the package's tests of the leak scan lower it to 1
// (helpers_test.go) because they publish an anonymous case without the
// crowd it would hide in. The tests of the check set Options.K.
var defaultK = DefaultK

// quasi are the quasi-identifiers of a case: details that are not names
// but, together, can single a person out. They are read from the whole case
// file, whatever its levels, because they describe the real person that a
// reader could look up elsewhere (court records, news, other lists).
type quasi struct {
	gender      string
	decade      string // of birth: "1990s"; not published for anonymous cases
	region      string // not published for anonymous cases
	district    string
	articles    string // sorted, "|"-joined
	detention   string // first detention date, YYYY-MM-DD or shorter
	facility    string // not published for anonymous cases
	citizenship string // sorted, "|"-joined
}

func quasiOf(c *schema.Case) quasi {
	person := obj(c.Doc["person"])
	q := quasi{gender: str(person["gender"]), region: str(person["region"])}
	q.district = FederalDistrict(q.region)
	if y, ok := person["birth_year"].(float64); ok {
		q.decade = strconv.Itoa(int(y)/10*10) + "s"
	} else if b := str(person["birth_date"]); len(b) >= 4 {
		q.decade = b[:3] + "0s"
	}
	var arts []string
	for _, ch := range list(c.Doc["charges"]) {
		m := obj(ch)
		if a := strings.TrimSpace(str(m["code"]) + " " + str(m["article"])); a != "" && !slices.Contains(arts, a) {
			arts = append(arts, a)
		}
	}
	slices.Sort(arts)
	q.articles = strings.Join(arts, "|")
	for _, d := range list(c.Doc["detention"]) {
		m := obj(d)
		if f := str(m["from"]); f != "" && (q.detention == "" || f < q.detention) {
			q.detention, q.facility = f, str(m["facility"])
		}
	}
	cit := strs(person["citizenship"])
	slices.Sort(cit)
	q.citizenship = strings.Join(cit, "|")
	return q
}

// shownQuasi are the quasi-identifiers that the anonymous record r shows
// (after its consent's filtering and overrides): what a reader can match
// against the crowd.
func shownQuasi(r *Record) quasi {
	arts := slices.Clone(r.Articles)
	slices.Sort(arts)
	cit := slices.Clone(r.Citizenship)
	slices.Sort(cit)
	q := quasi{gender: r.Gender, district: r.FederalDistrict, articles: strings.Join(arts, "|"),
		detention: r.FirstDetentionDate, citizenship: strings.Join(cit, "|")}
	if q.gender == "unknown" {
		q.gender = "" // says nothing
	}
	return q
}

// A generalisation says how far an anonymous case's details are coarsened
// beyond what every anonymous case loses (name, birth year, region,
// facility, occupation, court, judge; dates cut to the month).
type generalisation struct {
	year          bool // every date cut to the year
	noCitizenship bool
	noDistrict    bool
}

// generalisations in the order they are tried: the least loss first.
var generalisations = []generalisation{
	{}, {year: true}, {noCitizenship: true}, {year: true, noCitizenship: true},
	{noDistrict: true}, {year: true, noDistrict: true}, {noCitizenship: true, noDistrict: true},
	{year: true, noCitizenship: true, noDistrict: true},
}

func (g generalisation) steps() []string {
	var s []string
	if g.year {
		s = append(s, "dates cut to the year")
	}
	if g.noCitizenship {
		s = append(s, "citizenship withheld")
	}
	if g.noDistrict {
		s = append(s, "federal district withheld")
	}
	return s
}

// key is what a reader learns of q from an anonymous publication under g:
// the details published, with an empty detail of the published case
// matching anything (mask).
func (g generalisation) key(q quasi, mask uint8) string {
	parts := []string{q.gender, q.articles, month(q.detention), q.citizenship, q.district}
	if g.year {
		parts[2] = year(q.detention)
	}
	if g.noCitizenship {
		parts[3] = ""
	}
	if g.noDistrict {
		parts[4] = ""
	}
	for i := range parts {
		if mask&(1<<i) == 0 {
			parts[i] = "*"
		}
	}
	return strings.Join(parts, "\x00")
}

// published returns the mask of the details that q publishes under g.
func (g generalisation) published(q quasi) uint8 {
	var m uint8
	for i, v := range []string{q.gender, q.articles, q.detention, q.citizenship, q.district} {
		if v != "" && !(i == 3 && g.noCitizenship) && !(i == 4 && g.noDistrict) {
			m |= 1 << i
		}
	}
	return m
}

// An AnonymityProblem is an anonymous case whose details fit fewer than k
// cases however far they are coarsened.
type AnonymityProblem struct {
	Case     string `json:"case"`      // internal case ID
	PublicID string `json:"public_id"` // its pseudonym's public ID
	Shared   int    `json:"shared"`    // cases (itself included) that fit
	Details  string `json:"details"`   // what still singles it out
}

// An AnonymityError refuses a publication: an anonymous case would be
// recognisable from its details. Nothing has been written.
type AnonymityError struct {
	K        int
	Problems []AnonymityProblem
}

func (e *AnonymityError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "publication refused: %d anonymous case(s) would be recognisable (their details fit fewer than k = %d cases of the vault); nothing was written", len(e.Problems), e.K)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  case %s: %s fit only %d case(s), even with dates cut to the year, citizenship and federal district withheld", p.Case, p.Details, p.Shared)
	}
	return b.String()
}

// A Coarsening records how an anonymous case was coarsened beyond the
// usual to keep it among at least k cases.
type Coarsening struct {
	Case     string   `json:"case"`
	PublicID string   `json:"public_id"`
	Steps    []string `json:"steps"`
}

// anonymity is the population an anonymous case must hide in.
type anonymity struct {
	k      int
	pop    []quasi
	counts map[generalisation]map[uint8]map[string]int
	// months counts, per kind of date, the cases with a date in a month.
	months map[string]map[string]int
}

func newAnonymity(k int, pop []*schema.Case) *anonymity {
	a := &anonymity{k: k, counts: map[generalisation]map[uint8]map[string]int{}, months: map[string]map[string]int{}}
	for _, c := range distinctPeople(pop) {
		a.pop = append(a.pop, quasiOf(c))
		seen := map[string]bool{}
		r := &Record{}
		fillDates(r, c)
		r.eachDate(func(kind string, d *string) {
			if len(*d) >= 7 && !seen[kind+month(*d)] {
				seen[kind+month(*d)] = true
				if a.months[kind] == nil {
					a.months[kind] = map[string]int{}
				}
				a.months[kind][month(*d)]++
			}
		})
	}
	return a
}

// fillDates copies the dates of c (all of them, whatever their level) into
// r, for counting.
func fillDates(r *Record, c *schema.Case) {
	r.VerdictDate = str(obj(c.Doc["proceedings"])["verdict_date"])
	for _, ch := range list(c.Doc["charges"]) {
		r.Charges = append(r.Charges, Charge{Date: str(obj(ch)["date"])})
	}
	for _, d := range list(c.Doc["detention"]) {
		m := obj(d)
		r.Detention = append(r.Detention, Detention{From: str(m["from"]), To: str(m["to"])})
		if f := str(m["from"]); f != "" && (r.FirstDetentionDate == "" || f < r.FirstDetentionDate) {
			r.FirstDetentionDate = f
		}
	}
	for _, e := range list(c.Doc["mistreatment"]) {
		r.Mistreatment = append(r.Mistreatment, Mistreatment{Date: str(obj(e)["date"])})
	}
}

// shared returns how many cases of the population fit what q publishes
// under g.
func (a *anonymity) shared(g generalisation, q quasi) int {
	mask := g.published(q)
	byMask := a.counts[g]
	if byMask == nil {
		byMask = map[uint8]map[string]int{}
		a.counts[g] = byMask
	}
	m := byMask[mask]
	if m == nil {
		m = map[string]int{}
		for _, p := range a.pop {
			m[g.key(p, mask)]++
		}
		byMask[mask] = m
	}
	return m[g.key(q, mask)]
}

// apply coarsens the anonymous record r until what it publishes
// fits at least k cases of the population, and returns the generalisation
// used, or a problem if none is enough.
func (a *anonymity) apply(r *Record) (generalisation, *AnonymityProblem) {
	q := shownQuasi(r)
	for _, g := range generalisations {
		if a.shared(g, q) < a.k {
			continue
		}
		if g.noCitizenship {
			r.Citizenship = []string{}
		}
		if g.noDistrict {
			r.FederalDistrict = ""
		}
		dates := map[*string]bool{}
		r.eachDate(func(kind string, d *string) {
			dates[d] = true
			// A month few cases share is as telling as a day.
			if g.year || a.months[kind][month(*d)] < a.k {
				*d = year(*d)
			}
		})
		for _, f := range r.strings() {
			if !dates[f.p] {
				*f.p = coarsenText(*f.p, g.year)
			}
		}
		return g, nil
	}
	last := generalisations[len(generalisations)-1]
	var details []string
	if q.gender != "" {
		details = append(details, "gender "+q.gender)
	}
	if q.articles != "" {
		details = append(details, "articles "+strings.ReplaceAll(q.articles, "|", ", "))
	}
	if q.detention != "" {
		details = append(details, "first detention in "+year(q.detention))
	}
	if len(details) == 0 {
		details = append(details, "its details")
	}
	return last, &AnonymityProblem{Case: r.caseID, PublicID: r.ID, Shared: a.shared(last, q), Details: strings.Join(details, ", ")}
}
