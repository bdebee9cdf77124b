package index

import (
	"github.com/casevault/casevault/vault/internal/fold"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
)

// A Filter narrows `case list`, `case search` and `stats` by structured
// fields. The zero Filter matches every case. All the conditions it sets
// must hold.
type Filter struct {
	Articles      []string  // articles as schema.NormalizeArticle writes them; "RU-CC 207.3" also matches "RU-CC 207.3(2)"; a case must hold every one
	Region        string    // words of person.region, in order, case-insensitively ("omsk" matches "Omsk region")
	Facility      string    // words of a detention facility, like Region ("ik-6" matches "IK-6, Omsk region")
	Status        string    // a status of the case model
	Consent       string    // a consent value of the case model; "none" also matches a case without one
	Mistreatment  string    // a mistreatment kind of the case model
	Org           string    // the sending organisation of imported cases (case-insensitive)
	DetainedSince time.Time // first detention on or after this day (a YYYY or YYYY-MM date counts as its first day)
	UpdatedSince  time.Time // current revision written on or after this time
	Sort          string    // "name" (default), "updated" (newest first), "detained" (earliest first, unknown last)
	Limit, Offset int       // paging after sorting; Limit 0 means no limit
}

// Sort orders of Filter.Sort.
const (
	SortName     = "name"
	SortUpdated  = "updated"
	SortDetained = "detained"
)

// IsZero reports whether the filter lets every case through (paging and
// sorting aside).
func (f Filter) IsZero() bool {
	return len(f.Articles) == 0 && f.Region == "" && f.Facility == "" && f.Status == "" && f.Consent == "" &&
		f.Mistreatment == "" && f.Org == "" && f.DetainedSince.IsZero() && f.UpdatedSince.IsZero()
}

// NeedsComplete reports whether the filter reads fields that only a
// Complete summary carries.
func (f Filter) NeedsComplete() bool {
	return len(f.Articles) > 0 || f.Region != "" || f.Facility != "" || f.Consent != "" ||
		f.Mistreatment != "" || !f.DetainedSince.IsZero()
}

// Tokens are posting tokens that every case the filter matches is indexed
// under: they are looked up and intersected before any summary is read.
func (f Filter) Tokens() []string {
	out := f.StatusTokens()
	for _, a := range f.Articles {
		if n, ok := schema.NormalizeArticle(a); ok {
			out = append(out, ArticleToken(n))
		}
	}
	if f.Mistreatment != "" {
		out = append(out, MistreatmentToken(f.Mistreatment))
	}
	if f.Consent != "" {
		out = append(out, ConsentToken(f.Consent))
	}
	out = append(out, placeTokens(regionToken, f.Region)...)
	out = append(out, placeTokens(facilityToken, f.Facility)...)
	return out
}

// placeTokens are the tokens of the words of a place (FoldWords), without
// duplicates. A change of FoldWords changes them: it needs the postings
// rebuilt (as a change of the search tokens does).
func placeTokens(token func(string) string, places ...string) []string {
	var out []string
	for _, p := range places {
		for _, w := range FoldWords(p) {
			if t := token(w); !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// StatusTokens are the tokens of Tokens that vaults had before summaries
// of version 3 (the status): all a vault not yet migrated may be asked.
func (f Filter) StatusTokens() []string {
	var out []string
	if f.Status != "" {
		out = append(out, StatusToken(f.Status))
	}
	return out
}

// Match reports whether a case's summary passes the filter. It checks
// every condition, those its tokens decide too: a posting lookup only
// narrows the cases whose summaries are read. The summary must be Complete
// when NeedsComplete. To match many summaries, use a Matcher.
func (f Filter) Match(s Summary) bool { return f.Matcher().Match(s) }

// A Matcher matches summaries against one filter, with the filter's
// values prepared once and the words of the places it has seen
// remembered (a vault has few distinct regions and facilities). It is not
// safe for concurrent use.
type Matcher struct {
	f                   Filter
	articles            []string // normalised; "" for one that is not an article (matches nothing)
	region, facility    []string // folded words
	regions, facilities map[string]bool
	detainedSince       string // YYYY-MM-DD
}

// Matcher prepares the filter for matching many summaries.
func (f Filter) Matcher() *Matcher {
	m := &Matcher{f: f, regions: map[string]bool{}, facilities: map[string]bool{}}
	for _, a := range f.Articles {
		n, _ := schema.NormalizeArticle(a)
		m.articles = append(m.articles, n)
	}
	m.region = FoldWords(f.Region)
	m.facility = FoldWords(f.Facility)
	if !f.DetainedSince.IsZero() {
		m.detainedSince = f.DetainedSince.UTC().Format(time.DateOnly)
	}
	return m
}

// Match reports whether a case's summary passes the filter (see
// Filter.Match).
func (m *Matcher) Match(s Summary) bool {
	f := &m.f
	if f.Status != "" && s.Status != f.Status {
		return false
	}
	for _, a := range m.articles {
		if !hasArticle(s.Articles, a) {
			return false
		}
	}
	if f.Region != "" && !m.placeMatches(m.regions, s.Region, m.region) {
		return false
	}
	if f.Facility != "" && !slices.ContainsFunc(s.Facilities, func(fac string) bool { return m.placeMatches(m.facilities, fac, m.facility) }) {
		return false
	}
	if f.Consent != "" && s.Consent != f.Consent && !(f.Consent == "none" && s.Consent == "") {
		return false
	}
	if f.Mistreatment != "" && !slices.Contains(s.Mistreatment, f.Mistreatment) {
		return false
	}
	if f.Org != "" && !strings.EqualFold(strings.TrimSpace(s.Origin), strings.TrimSpace(f.Org)) {
		return false
	}
	if m.detainedSince != "" {
		// A date known to the month or year counts as its first day:
		// "2023" < "2023-01-01" is the one case to mend.
		d := s.FirstDetained
		if _, ok := FirstDay(d); !ok || d < m.detainedSince && (d + "-01-01")[:10] < m.detainedSince {
			return false
		}
	}
	if !f.UpdatedSince.IsZero() && s.Updated.Before(f.UpdatedSince) {
		return false
	}
	return true
}

// placeMatches reports whether the words want appear in text, in order,
// remembering the answer for text in seen.
func (m *Matcher) placeMatches(seen map[string]bool, text string, want []string) bool {
	if ok, found := seen[text]; found {
		return ok
	}
	ok := containsFolded(FoldWords(text), want)
	if len(seen) < 1<<16 {
		seen[text] = ok
	}
	return ok
}

// hasArticle reports whether one of the articles (normalised) is the
// article n (normalised) or one of its parts or clauses: "RU-CC 207.3" is
// in "RU-CC 207.3(2)", not in "RU-CC 207.31".
func hasArticle(articles []string, n string) bool {
	if n == "" {
		return false
	}
	for _, a := range articles {
		if a == n || strings.HasPrefix(a, n) && a[len(n)] == '(' {
			return true
		}
	}
	return false
}

// FirstDay is the first day of a case date (YYYY, YYYY-MM or YYYY-MM-DD).
func FirstDay(d string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if len(d) == len(layout) {
			t, err := time.Parse(layout, d)
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// FoldWords splits text into the words filters and statistics compare
// places by: the search tokens of its words (vault/internal/fold), so that
// Latin and Cyrillic spellings, case, ё/е and word forms agree (Омск,
// Omsk; Омская, омской). This is the one place they fold place names.
func FoldWords(text string) []string {
	ws := fold.Words(text)
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Token)
	}
	return out
}

// containsFolded reports whether the words w appear in the words t, one
// after the other.
func containsFolded(t, w []string) bool {
	if len(w) == 0 {
		return false
	}
	for i := 0; i+len(w) <= len(t); i++ {
		if slices.Equal(t[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// Posting tokens of the structured fields. The prefixes keep them apart
// from the words of the text (which have no colon).
func ArticleToken(norm string) string { return "article:" + norm }
func ConsentToken(c string) string    { return "consent:" + c }
func regionToken(w string) string     { return "region:" + w }
func facilityToken(w string) string   { return "facility:" + w }
func MistreatmentToken(k string) string {
	return "mistreatment:" + k
}

// articleLevels are an article and its parents in the normalised form:
// "RU-CC 105(2)(а)" gives itself, "RU-CC 105(2)" and "RU-CC 105".
func articleLevels(norm string) []string {
	out := []string{norm}
	for {
		i := strings.LastIndexByte(norm, '(')
		if i < 0 {
			return out
		}
		norm = norm[:i]
		out = append(out, norm)
	}
}

// FilterTokens are the posting tokens of a case's structured fields, the
// ones Filter.Tokens asks for: its status, every level of each article,
// its consent ("none" when it has none), its mistreatment kinds, the words
// of its region and of its facilities.
func FilterTokens(doc *schema.Case) []string {
	var out []string
	if s := doc.Status(); s != "" {
		out = append(out, StatusToken(s))
	}
	for _, t := range SummaryTokens(SummaryOf("", doc, 0, time.Time{}, "")) {
		if !strings.HasPrefix(t, "status:") {
			out = append(out, t)
		}
	}
	return out
}

// SummaryTokens are the filter tokens of a case as its Complete summary
// gives them (all but the status, which FilterTokens reads from the case).
func SummaryTokens(s Summary) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range s.Articles {
		if strings.Contains(a, ": ") {
			continue // not normalised
		}
		for _, l := range articleLevels(a) {
			if !seen[l] {
				seen[l] = true
				out = append(out, ArticleToken(l))
			}
		}
	}
	consent := s.Consent
	if consent == "" {
		consent = "none" // never published, as with consent none
	}
	out = append(out, ConsentToken(consent))
	for _, k := range s.Mistreatment {
		out = append(out, MistreatmentToken(k))
	}
	out = append(out, placeTokens(regionToken, s.Region)...)
	out = append(out, placeTokens(facilityToken, s.Facilities...)...)
	return out
}

// ByUpdated orders summaries newest change first, ties by ID (--sort
// updated).
func ByUpdated(a, b *Summary) int {
	if c := b.Updated.Compare(a.Updated); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// ByDetained orders summaries earliest first detention first, unknown ones
// last, ties by ID (--sort detained).
func ByDetained(a, b *Summary) int {
	switch {
	case a.FirstDetained == "" && b.FirstDetained != "":
		return 1
	case a.FirstDetained != "" && b.FirstDetained == "":
		return -1
	}
	if c := strings.Compare(a.FirstDetained, b.FirstDetained); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// SortAndPage sorts summaries as f.Sort says and returns the page f.Limit
// and f.Offset select.
func SortAndPage(s []Summary, f Filter) []Summary {
	switch f.Sort {
	case SortUpdated:
		slices.SortStableFunc(s, func(a, b Summary) int { return ByUpdated(&a, &b) })
	case SortDetained:
		slices.SortStableFunc(s, func(a, b Summary) int { return ByDetained(&a, &b) })
	default:
		SortSummaries(s)
	}
	if f.Offset > 0 {
		if f.Offset >= len(s) {
			return s[:0]
		}
		s = s[f.Offset:]
	}
	if f.Limit > 0 && f.Limit < len(s) {
		s = s[:f.Limit]
	}
	return s
}
