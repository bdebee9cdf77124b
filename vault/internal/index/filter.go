package index

import (
	"time"

	"github.com/casevault/casevault/schema"
)

// A Filter narrows `case list`, `case search` and `stats` by structured
// fields. The zero Filter matches every case.
type Filter struct {
	Articles      []string  // articles as schema.NormalizeArticle writes them; "RU-CC 207.3" also matches "RU-CC 207.3(2)"
	Region        string    // matched like search text (any script, any case)
	Facility      string    // matched like search text
	Status        string    // a status of the case model
	Consent       string    // a consent value of the case model
	Mistreatment  string    // a mistreatment kind of the case model
	Org           string    // the sending organisation of imported cases
	DetainedSince time.Time // first detention on or after this day
	UpdatedSince  time.Time // current revision written on or after this time
	Sort          string    // "name" (default), "updated", "detained"
	Limit, Offset int       // paging; Limit 0 means no limit
}

// Tokens are posting tokens that every case the filter matches is indexed
// under: they are looked up and intersected before any summary is read.
func (f Filter) Tokens() []string {
	var out []string
	if f.Status != "" {
		out = append(out, StatusToken(f.Status))
	}
	return out
}

// Match reports whether a case's summary passes the parts of the filter
// that its posting tokens do not decide.
func (f Filter) Match(s Summary) bool { return true }

// FilterTokens are the posting tokens of a case's structured fields, the
// ones Filter.Tokens asks for.
func FilterTokens(doc *schema.Case) []string {
	var out []string
	if s := doc.Status(); s != "" {
		out = append(out, StatusToken(s))
	}
	return out
}
