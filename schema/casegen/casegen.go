// Package casegen generates realistic synthetic case files for tests,
// benchmarks and demonstrations: Latin and Cyrillic names, real articles of
// the Russian Criminal Code, facilities, dates, detention periods and
// incidents. The output is deterministic for a seed and describes no real
// person: names are drawn at random from lists of common names, and
// contacts use reserved example addresses.
package casegen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// A Generator makes one case after another from a seeded random source.
type Generator struct {
	r         *rand.Rand
	n         int
	realistic bool
}

// New returns a generator whose output is determined by seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, 0x63617365766c74))}
}

// NewRealistic returns a generator whose names collide as real ones do:
// surnames drawn with a Zipf-like frequency from a pool of several hundred
// (see names.go), both genders, and judges, lawyers, witnesses and
// perpetrators named from the same pool (with ranks and roles: "майор
// Дмитрий Савчук", "сокамерник Рустам Хайруллин"). Its output is
// determined by seed too, and differs from New's.
func NewRealistic(seed uint64) *Generator {
	g := New(seed)
	g.realistic = true
	return g
}

var statuses = []struct {
	s string
	w int
}{{"sentenced", 45}, {"pretrial", 20}, {"released", 13}, {"wanted", 10}, {"other", 5}, {"deceased", 4}, {"exchanged", 3}}

func (g *Generator) pick(n int) int { return g.r.IntN(n) }

func (g *Generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *Generator) status() string {
	total := 0
	for _, s := range statuses {
		total += s.w
	}
	x := g.pick(total)
	for _, s := range statuses {
		if x < s.w {
			return s.s
		}
		x -= s.w
	}
	return "other"
}

func (g *Generator) article() article {
	total := 0
	for _, a := range articles {
		total += a.weight
	}
	x := g.pick(total)
	for _, a := range articles {
		if x < a.weight {
			return a
		}
		x -= a.weight
	}
	return articles[0]
}

// day is a day number counted from 2000-01-01.
type day int

var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// today is the last day generated dates may reach (fixed, so that the
// output does not depend on when it is generated).
var today = day(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)

func (d day) time() time.Time { return epoch.AddDate(0, 0, int(d)) }

func (d day) String() string { return d.time().Format(time.DateOnly) }

func (d day) month() string { return d.String()[:7] }

func (d day) year() int { return d.time().Year() }

// Case returns the next generated case as a document of JSON values
// (map[string]any, []any, string, float64), valid against case.v1.
func (g *Generator) Case() map[string]any {
	g.n++
	female := g.chance(0.3)
	var first namePair
	if female {
		first = femaleFirst[g.pick(len(femaleFirst))]
	} else {
		first = maleFirst[g.pick(len(maleFirst))]
	}
	var lastLat, lastCyr string
	if g.realistic {
		sn := g.realSurname()
		lastLat, lastCyr = sn.lat, sn.cyr
		if female {
			lastLat, lastCyr = sn.latF, sn.cyrF
		}
	} else {
		sn := surnames[g.pick(len(surnames))]
		lastLat, lastCyr = sn.lat, sn.cyr
		if female {
			lastLat, lastCyr = sn.feminine()
		}
	}
	name := first.lat + " " + lastLat
	native := first.cyr + " " + lastCyr
	gender := "male"
	if female {
		gender = "female"
	}
	region := regions[g.pick(len(regions))]
	occupation := occupations[g.pick(len(occupations))]
	birth := day(-g.pick(365*50) - 365*18) // born 1932-1982
	if g.chance(0.5) {
		birth += day(365 * 20)
	}
	person := map[string]any{
		"name":        name,
		"name_native": native,
		"gender":      gender,
		"citizenship": []any{"RU"},
		"region":      region,
		"occupation":  occupation,
	}
	if g.chance(0.85) {
		person["birth_date"] = birth.String()
		person["birth_year"] = float64(birth.year())
	}
	if g.chance(0.4) {
		person["aliases"] = []any{lastLat + " " + first.lat, lastCyr + " " + first.cyr}
	}
	if g.chance(0.7) {
		person["contacts"] = g.contacts(lastLat, lastCyr)
	}

	status := g.status()
	// The case starts between 2014 and 2025.
	start := day(365*14 + g.pick(365*12))
	nCharges := 1 + g.pick(3)
	picked := make([]article, nCharges)
	for i := range picked {
		picked[i] = g.article()
		if y := picked[i].since; y > start.year() {
			start = day(time.Date(y, time.Month(3+g.pick(9)), 1+g.pick(28), 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
		}
	}
	var charges []any
	var arts []string
	for i, a := range picked {
		num := a.number
		if len(a.parts) > 0 {
			num += "(" + a.parts[g.pick(len(a.parts))] + ")"
		}
		arts = append(arts, num)
		ch := map[string]any{"code": "RU-CC", "article": num, "title": a.title}
		if g.chance(0.8) {
			ch["date"] = (start + day(i*30+g.pick(20))).String()
		}
		charges = append(charges, ch)
	}
	doc := map[string]any{
		"schema":  "case.v1",
		"person":  person,
		"charges": charges,
		"status":  status,
	}

	end := start
	if status != "wanted" {
		var det []any
		from := start
		kinds := []string{"temporary", "pretrial", "colony"}
		if g.chance(0.15) {
			kinds = []string{"house-arrest", "pretrial", "colony"}
		}
		if g.chance(0.05) {
			kinds = []string{"pretrial", "psychiatric"}
		}
		periods := 1 + g.pick(len(kinds))
		for i := 0; i < periods; i++ {
			k := kinds[i]
			p := map[string]any{"kind": k, "facility": g.facility(k, region), "from": from.String()}
			length := day(2)
			switch k {
			case "pretrial", "house-arrest":
				length = day(60 + g.pick(500))
			case "colony", "psychiatric":
				length = day(200 + g.pick(3000))
			}
			to := from + length
			last := i == periods-1
			if to > today {
				to = today - day(g.pick(30))
			}
			if to <= from {
				to = from + 1
			}
			ongoing := last && (status == "sentenced" || status == "pretrial") && g.chance(0.8)
			if !ongoing {
				if g.chance(0.2) {
					p["to"] = to.month()
				} else {
					p["to"] = to.String()
				}
			}
			if g.chance(0.5) {
				p["conditions"] = g.someOf(conditions, 1+g.pick(3))
			}
			if g.chance(0.2) {
				p["notes"] = "Letters arrive with a delay of several weeks; the lawyer is admitted once a month."
			}
			det = append(det, p)
			from = to
			end = to
		}
		doc["detention"] = det
	}

	if g.chance(0.35) {
		var inc []any
		for range 1 + g.pick(3) {
			kinds := g.someOf(mistreatmentKinds, 1+g.pick(2))
			var desc []string
			for _, k := range kinds {
				desc = append(desc, mistreatmentWords[k.(string)])
			}
			d := start + day(g.pick(int(end-start)+1))
			m := map[string]any{"date": d.String(), "kind": kinds, "description": strings.Join(desc, " ")}
			switch {
			case g.realistic && g.chance(0.5):
				_, cyr := g.realPerson(false)
				m["perpetrators"] = []any{ranks[g.pick(len(ranks))] + " " + cyr}
			case g.chance(0.5):
				m["perpetrators"] = []any{"duty officer of the " + g.facility("pretrial", region)}
			}
			switch {
			case g.realistic && g.chance(0.4):
				lat, cyr := g.realPerson(g.chance(0.3))
				w := witnessRoles[g.pick(len(witnessRoles))] + " " + cyr
				if g.chance(0.3) {
					w = lat
				}
				m["witnesses"] = []any{w}
			case g.chance(0.3):
				m["witnesses"] = []any{"cellmate"}
			}
			inc = append(inc, m)
		}
		doc["mistreatment"] = inc
	}

	if status != "pretrial" && status != "wanted" {
		court := courtOf(region)
		if strings.HasPrefix(arts[0], "205") || strings.HasPrefix(arts[0], "275") {
			court = militaryCourts[g.pick(len(militaryCourts))]
		}
		verdict := start + day(200+g.pick(400))
		if verdict > today {
			verdict = today
		}
		years := 1 + g.pick(20)
		regime := []string{"general-regime", "strict-regime", "special-regime"}[g.pick(3)]
		pr := map[string]any{
			"court":        court,
			"case_number":  fmt.Sprintf("1-%d/%d", 1+g.pick(900), verdict.year()),
			"judge":        g.judge(),
			"verdict_date": verdict.String(),
			"sentence":     fmt.Sprintf("%d years, %s colony", years, regime),
		}
		if g.chance(0.4) {
			pr["appeal"] = "Sentence upheld on appeal."
		}
		doc["proceedings"] = pr
	}

	doc["sources"] = []any{fmt.Sprintf("https://example.org/cases/%d", g.n)}
	if g.chance(0.3) {
		doc["notes"] = "Working notes: ask the family about the next visit; prepare a complaint to the ECHR."
	}
	consent := []string{"full", "full", "full", "anonymous", "none"}[g.pick(5)]
	reason := reasons[g.pick(len(reasons))]
	a0 := charges[0].(map[string]any)
	who := name + ", a " + occupation
	if consent == "anonymous" {
		who = "A " + occupation
	}
	summary := fmt.Sprintf("%s from %s was charged under article %s (%s) for %s.",
		who, region, a0["article"], strings.ToLower(a0["title"].(string)[:1])+a0["title"].(string)[1:], reason)
	switch status {
	case "sentenced":
		summary += " " + doc["proceedings"].(map[string]any)["sentence"].(string) + "."
		if j := doc["proceedings"].(map[string]any)["judge"].(string); g.realistic && consent != "anonymous" && g.chance(0.5) {
			summary += " Judge " + j + " presided."
		}
	case "pretrial":
		summary += " Held in pre-trial detention."
	case "released":
		summary += " Released after serving the sentence."
	case "wanted":
		summary += " Left Russia and is on the wanted list."
	case "exchanged":
		summary += " Released in a prisoner exchange."
	case "deceased":
		summary += " Died in custody."
	}
	doc["publication"] = map[string]any{"consent": consent, "summary": summary}
	if consent == "anonymous" {
		doc["sensitivity_overrides"] = map[string]any{"person.name": "confidential", "person.name_native": "confidential"}
	}
	return doc
}

func courtOf(region string) string {
	switch {
	case region == "Moscow":
		return "Moscow City Court"
	case region == "St Petersburg":
		return "St Petersburg City Court"
	case region == "Sevastopol":
		return "Sevastopol City Court"
	case strings.HasSuffix(region, " region"):
		return strings.TrimSuffix(region, " region") + " Regional Court"
	case strings.HasPrefix(region, "Republic of "):
		return "Supreme Court of the " + region
	}
	return "Supreme Court of " + region
}

func (g *Generator) facility(kind, region string) string {
	switch kind {
	case "pretrial":
		return fmt.Sprintf("SIZO-%d, %s", 1+g.pick(6), region)
	case "colony":
		return fmt.Sprintf("IK-%d, %s", 1+g.pick(20), regions[g.pick(len(regions))])
	case "psychiatric":
		return "Psychiatric hospital No. " + fmt.Sprint(1+g.pick(5)) + ", " + region
	case "house-arrest":
		return "Home address, " + region
	}
	return fmt.Sprintf("Temporary detention centre of the police, %s", region)
}

func (g *Generator) someOf(list []string, n int) []any {
	idx := g.r.Perm(len(list))[:n]
	out := make([]any, n)
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

// judge returns a judge's name: initials and surname from a short list,
// or with NewRealistic a full name from the common pool.
func (g *Generator) judge() string {
	if g.realistic {
		lat, _ := g.realPerson(g.chance(0.4))
		return lat
	}
	return judges[g.pick(len(judges))].lat
}

func (g *Generator) contacts(lastLat, lastCyr string) []any {
	var out []any
	rel := femaleFirst[g.pick(len(femaleFirst))]
	out = append(out, map[string]any{
		"role":  "relative",
		"name":  rel.cyr + " " + lastCyr,
		"phone": fmt.Sprintf("+7 000 %03d-%02d-%02d", g.pick(1000), g.pick(100), g.pick(100)),
		"email": fmt.Sprintf("family%d@example.org", g.n),
		// Derived from the case number, not drawn, so that the cases
		// generated from a seed stay what they were before addresses.
		"address": fmt.Sprintf("ul. Sadovaya, d. %d, kv. %d", g.n%97+1, g.n%211+1),
	})
	if g.chance(0.6) {
		name := ""
		if g.realistic {
			name, _ = g.realPerson(g.chance(0.4))
		} else {
			l := maleFirst[g.pick(len(maleFirst))]
			s := surnames[g.pick(len(surnames))]
			name = l.lat + " " + s.lat
		}
		out = append(out, map[string]any{"role": "lawyer", "name": name, "email": fmt.Sprintf("lawyer%d@example.org", g.pick(500))})
	}
	return out
}
