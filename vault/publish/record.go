package publish

import (
	"slices"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema"
)

// Consent levels of publication.consent.
const (
	ConsentFull      = "full"      // the case's public fields
	ConsentAnonymous = "anonymous" // public fields without what identifies the person
	ConsentNone      = "none"      // never published
)

// Consent returns the publication consent of a case: "full", "anonymous"
// or "none". A missing or unknown value is "none".
func Consent(c *schema.Case) string {
	p, _ := c.Doc["publication"].(map[string]any)
	switch s, _ := p["consent"].(string); s {
	case ConsentFull, ConsentAnonymous:
		return s
	}
	return ConsentNone
}

// A Source is a case to publish, as the vault hands it over.
type Source struct {
	// CaseID is the internal case ID. It appears only in leak reports,
	// never in the output.
	CaseID string
	// PublicID is the public identifier of the case, chosen by the caller
	// (at random) so that it does not reveal CaseID.
	PublicID string
	// Pseudonym is the name an anonymous case is published under; empty
	// means AnonymousName(PublicID).
	Pseudonym string
	// Case is the current case file.
	Case *schema.Case
	// Skip leaves the case out of this publication (it was not asked for).
	// Its names are still searched for if its consent withholds them.
	Skip bool
	// Origin is the partner organisation the case was imported from (its
	// bundle's sender), or "" for a case of our own. An imported case is
	// published only when named (Named, or its organisation in
	// Options.From), while that organisation is still a partner
	// (Options.Partners), and never when Quarantined.
	Origin string
	// Named says the case was named for this publication (publish --case).
	Named bool
	// Quarantined says the case is held back for review (its metadata's
	// quarantine flag): it is never published.
	Quarantined bool
}

// A Record is the public record of one case: what the output holds of it.
// The JSON format writes it whole (described by schema/public.v1.json); the
// CSV format writes its single values as one row of cases.csv and its lists
// as rows of charges.csv, detention.csv and mistreatment.csv.
type Record struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	NameNative         string   `json:"name_native,omitempty"`
	BirthYear          int      `json:"birth_year,omitempty"`
	Gender             string   `json:"gender,omitempty"`
	Region             string   `json:"region,omitempty"`
	Articles           []string `json:"articles"`
	FirstDetentionDate string   `json:"first_detention_date,omitempty"`
	Status             string   `json:"status,omitempty"`
	Sentence           string   `json:"sentence,omitempty"`
	Facility           string   `json:"facility,omitempty"`
	Summary            string   `json:"summary,omitempty"`
	Anonymous          bool     `json:"anonymous,omitempty"`
	// FederalDistrict is the federal district of the region, published
	// instead of the region for an anonymous case (see districts.go).
	FederalDistrict string `json:"federal_district,omitempty"`

	Citizenship  []string       `json:"citizenship"`
	Occupation   string         `json:"occupation,omitempty"`
	Court        string         `json:"court,omitempty"`
	Judge        string         `json:"judge,omitempty"`
	VerdictDate  string         `json:"verdict_date,omitempty"`
	Appeal       string         `json:"appeal,omitempty"`
	Charges      []Charge       `json:"charges"`
	Detention    []Detention    `json:"detention"`
	Mistreatment []Mistreatment `json:"mistreatment"`
	// Origin is the organisation that reported the case: the publisher
	// for its own cases, the partner for a case imported from its bundle.
	Origin string `json:"origin"`
	// NextHearing is the date of the case's next court hearing on or after
	// the day of publication (Options.Today), for a case with full consent
	// whose hearing dates are public; see nextHearing.
	NextHearing string `json:"next_hearing,omitempty"`

	caseID   string // internal, for reports
	imported bool   // Origin is a partner, not the publisher
}

// Partner reports whether the case was reported by a partner organisation
// (imported from its bundle) rather than by the publisher.
func (r *Record) Partner() bool { return r.imported }

// A Charge is one article a person is charged under.
type Charge struct {
	Article string `json:"article"` // code and article, e.g. "RU-CC 207.3(2)"
	Title   string `json:"title,omitempty"`
	Date    string `json:"date,omitempty"`
}

// A Detention is one period of deprivation of liberty.
type Detention struct {
	Kind       string   `json:"kind,omitempty"`
	Facility   string   `json:"facility,omitempty"`
	From       string   `json:"from,omitempty"`
	To         string   `json:"to,omitempty"` // empty while ongoing
	Conditions []string `json:"conditions"`
}

// A Mistreatment is the public part of one incident: when, and what kind.
// Its description, perpetrators, witnesses and evidence are never public.
type Mistreatment struct {
	Date string   `json:"date,omitempty"`
	Kind []string `json:"kind"`
}

// project returns the public record of src under its consent, or nil for
// consent "none".
func project(src Source) *Record {
	consent := Consent(src.Case)
	if consent == ConsentNone {
		return nil
	}
	anon := consent == ConsentAnonymous
	f := src.Case.Filter(func(_ string, l schema.Level) bool { return l == schema.Public }).Doc
	person := obj(f["person"])
	proc := obj(f["proceedings"])
	r := &Record{
		ID:           src.PublicID,
		Name:         str(person["name"]),
		NameNative:   str(person["name_native"]),
		Gender:       str(person["gender"]),
		Region:       str(person["region"]),
		Status:       str(f["status"]),
		Sentence:     str(proc["sentence"]),
		Summary:      str(obj(f["publication"])["summary"]),
		Occupation:   str(person["occupation"]),
		Citizenship:  strs(person["citizenship"]),
		Court:        str(proc["court"]),
		Judge:        str(proc["judge"]),
		VerdictDate:  str(proc["verdict_date"]),
		Appeal:       str(proc["appeal"]),
		Articles:     []string{},
		Charges:      []Charge{},
		Detention:    []Detention{},
		Mistreatment: []Mistreatment{},
		caseID:       src.CaseID,
	}
	if r.Citizenship == nil {
		r.Citizenship = []string{}
	}
	if y, ok := person["birth_year"].(float64); ok {
		r.BirthYear = int(y)
	}
	for _, ch := range list(f["charges"]) {
		m := obj(ch)
		a := strings.TrimSpace(str(m["code"]) + " " + str(m["article"]))
		if a != "" && !slices.Contains(r.Articles, a) {
			r.Articles = append(r.Articles, a)
		}
		if a != "" || str(m["title"]) != "" {
			r.Charges = append(r.Charges, Charge{Article: a, Title: str(m["title"]), Date: str(m["date"])})
		}
	}
	var bestKey string
	for _, d := range list(f["detention"]) {
		m := obj(d)
		det := Detention{Kind: str(m["kind"]), Facility: str(m["facility"]), From: str(m["from"]), To: str(m["to"]), Conditions: strs(m["conditions"])}
		if det.Conditions == nil {
			det.Conditions = []string{}
		}
		r.Detention = append(r.Detention, det)
		if det.From != "" && (r.FirstDetentionDate == "" || det.From < r.FirstDetentionDate) {
			r.FirstDetentionDate = det.From
		}
		// The current facility, where letters go: that of the latest
		// ongoing period.
		if det.To == "" && det.Facility != "" && det.From >= bestKey {
			bestKey, r.Facility = det.From, det.Facility
		}
	}
	for _, e := range list(f["mistreatment"]) {
		m := obj(e)
		mt := Mistreatment{Date: str(m["date"]), Kind: strs(m["kind"])}
		if mt.Kind == nil {
			mt.Kind = []string{}
		}
		if mt.Date != "" || len(mt.Kind) > 0 {
			r.Mistreatment = append(r.Mistreatment, mt)
		}
	}
	if anon {
		r.Anonymous = true
		r.Name = AnonymousName(src.PublicID)
		r.FederalDistrict = FederalDistrict(r.Region)
		if src.Pseudonym != "" {
			r.Name = src.Pseudonym
		}
		r.NameNative, r.BirthYear, r.Region, r.Facility, r.Occupation = "", 0, "", "", ""
		// The appeal is free text that names the court and its date.
		r.Court, r.Judge, r.Appeal = "", "", ""
		for i := range r.Detention {
			r.Detention[i].Facility = ""
		}
		// Dates are cut to the month here, and further by anonymise.
		r.eachDate(func(_ string, d *string) { *d = month(*d) })
		for _, f := range r.strings() {
			*f.p = coarsenText(*f.p, false)
		}
	}
	// Text under a right-to-left override is put in the order a reader
	// saw it, so the scan sees the name a reversed word displays as. Other
	// invisible characters stay for the scan, which normalises them away
	// (a zero-width space inside a name is itself a sign of a disguise);
	// Render removes them all.
	for _, f := range r.strings() {
		*f.p = displayOrder(*f.p)
	}
	return r
}

// eachDate calls fn with every date of r and the kind of date it is (the
// field path without indices).
func (r *Record) eachDate(fn func(kind string, d *string)) {
	fn("first_detention_date", &r.FirstDetentionDate)
	fn("verdict_date", &r.VerdictDate)
	for i := range r.Charges {
		fn("charges.date", &r.Charges[i].Date)
	}
	for i := range r.Detention {
		fn("detention.from", &r.Detention[i].From)
		fn("detention.to", &r.Detention[i].To)
	}
	for i := range r.Mistreatment {
		fn("mistreatment.date", &r.Mistreatment[i].Date)
	}
}

// month cuts a date to its year and month.
func month(date string) string {
	if len(date) > 7 {
		return date[:7]
	}
	return date
}

// year cuts a date to its year.
func year(date string) string {
	if len(date) > 4 {
		return date[:4]
	}
	return date
}

// AnonymousName returns the pseudonym under which an anonymous case is
// published: "Anonymous #" and six letters of its public ID (30 bits, so
// that pseudonyms of different cases practically never collide).
func AnonymousName(publicID string) string {
	s := strings.TrimPrefix(publicID, "p")
	if len(s) > 6 {
		s = s[:6]
	}
	return "Anonymous #" + strings.ToUpper(s)
}

// outField is one string of a record that goes into the output.
type outField struct {
	name string
	p    *string
}

// strings returns every string of r that any format writes.
func (r *Record) strings() []outField {
	out := []outField{{"name", &r.Name}, {"name_native", &r.NameNative}, {"gender", &r.Gender},
		{"region", &r.Region}, {"first_detention_date", &r.FirstDetentionDate}, {"status", &r.Status},
		{"sentence", &r.Sentence}, {"facility", &r.Facility}, {"summary", &r.Summary},
		{"occupation", &r.Occupation}, {"court", &r.Court}, {"judge", &r.Judge},
		{"verdict_date", &r.VerdictDate}, {"appeal", &r.Appeal}, {"federal_district", &r.FederalDistrict},
		{"origin", &r.Origin}, {"next_hearing", &r.NextHearing}}
	for i := range r.Articles {
		out = append(out, outField{"articles[" + strconv.Itoa(i) + "]", &r.Articles[i]})
	}
	for i := range r.Citizenship {
		out = append(out, outField{"citizenship[" + strconv.Itoa(i) + "]", &r.Citizenship[i]})
	}
	for i := range r.Charges {
		c := &r.Charges[i]
		p := "charges[" + strconv.Itoa(i) + "]."
		out = append(out, outField{p + "article", &c.Article}, outField{p + "title", &c.Title}, outField{p + "date", &c.Date})
	}
	for i := range r.Detention {
		d := &r.Detention[i]
		p := "detention[" + strconv.Itoa(i) + "]."
		out = append(out, outField{p + "kind", &d.Kind}, outField{p + "facility", &d.Facility},
			outField{p + "from", &d.From}, outField{p + "to", &d.To})
		for j := range d.Conditions {
			out = append(out, outField{p + "conditions[" + strconv.Itoa(j) + "]", &d.Conditions[j]})
		}
	}
	for i := range r.Mistreatment {
		m := &r.Mistreatment[i]
		p := "mistreatment[" + strconv.Itoa(i) + "]."
		out = append(out, outField{p + "date", &m.Date})
		for j := range m.Kind {
			out = append(out, outField{p + "kind[" + strconv.Itoa(j) + "]", &m.Kind[j]})
		}
	}
	return out
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }
func str(v any) string         { s, _ := v.(string); return strings.TrimSpace(s) }

func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := str(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}
