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
}

// A Record is the public summary of one case: what the output holds of it.
// The fields tagged for JSON are the columns of the JSON and CSV formats;
// the others appear on the case's HTML page and in Markdown.
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

	Citizenship []string    `json:"-"`
	Occupation  string      `json:"-"`
	Charges     []Charge    `json:"-"`
	Detention   []Detention `json:"-"`
	Court       string      `json:"-"`
	Judge       string      `json:"-"`
	VerdictDate string      `json:"-"`
	Appeal      string      `json:"-"`

	caseID string // internal, for reports
}

// A Charge is one article a person is charged under.
type Charge struct {
	Article string // code and article, e.g. "RU-CC 207.3(2)"
	Title   string
	Date    string
}

// A Detention is one period of deprivation of liberty.
type Detention struct {
	Kind       string
	Facility   string
	From, To   string
	Conditions []string
}

// anonymisedPaths are public fields that an anonymous publication leaves
// out, because they point to the person. Their values are scanned for like
// restricted values, within the case's own output (names everywhere).
var anonymisedPaths = []string{
	"person.name", "person.name_native", "person.region", "person.occupation",
	"detention.facility", "proceedings.court", "proceedings.judge",
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
		ID:          src.PublicID,
		Name:        str(person["name"]),
		NameNative:  str(person["name_native"]),
		Gender:      str(person["gender"]),
		Region:      str(person["region"]),
		Status:      str(f["status"]),
		Sentence:    str(proc["sentence"]),
		Summary:     str(obj(f["publication"])["summary"]),
		Occupation:  str(person["occupation"]),
		Citizenship: strs(person["citizenship"]),
		Court:       str(proc["court"]),
		Judge:       str(proc["judge"]),
		VerdictDate: str(proc["verdict_date"]),
		Appeal:      str(proc["appeal"]),
		Articles:    []string{},
		caseID:      src.CaseID,
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
	if anon {
		r.Anonymous = true
		r.Name = AnonymousName(src.PublicID)
		if src.Pseudonym != "" {
			r.Name = src.Pseudonym
		}
		r.NameNative, r.BirthYear, r.Region, r.Facility, r.Occupation = "", 0, "", "", ""
		r.Court, r.Judge = "", ""
		r.FirstDetentionDate = month(r.FirstDetentionDate)
		for i := range r.Detention {
			d := &r.Detention[i]
			d.Facility, d.From, d.To = "", month(d.From), month(d.To)
		}
		for i := range r.Charges {
			r.Charges[i].Date = month(r.Charges[i].Date)
		}
	}
	return r
}

// month cuts a date to its year and month.
func month(date string) string {
	if len(date) > 7 {
		return date[:7]
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
		{"verdict_date", &r.VerdictDate}, {"appeal", &r.Appeal}}
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
