package publish

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Dates written inside the free text of an anonymous case (summary,
// sentence, charge titles): ISO "2020-09-16", dotted "16.09.2020", and
// "16 September 2020" / "16 сентября 2020". They are cut like the case's
// date fields, so that a verdict date removed from its field does not
// come back through the summary.
var (
	isoInText    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`) })
	dottedInText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b`) })
	namedInText  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	})
	monthInText = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(^|[^\p{L}])(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	})
	isoMonthText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(\d{4})-(\d{2})\b`) })
)

const monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|` +
	`января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|` +
	`январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь`

// coarsenText cuts the dates written in s to the month, or to the year when
// toYear.
func coarsenText(s string, toYear bool) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	s = coarsenFound(s, toYear)
	s = isoInText().ReplaceAllStringFunc(s, func(m string) string {
		p := isoInText().FindStringSubmatch(m)
		if toYear {
			return p[1]
		}
		return p[1] + "-" + p[2]
	})
	s = dottedInText().ReplaceAllStringFunc(s, func(m string) string {
		p := dottedInText().FindStringSubmatch(m)
		if toYear {
			return p[3]
		}
		mm := p[2]
		if len(mm) == 1 {
			mm = "0" + mm
		}
		return p[3] + "-" + mm
	})
	s = namedInText().ReplaceAllStringFunc(s, func(m string) string {
		p := namedInText().FindStringSubmatch(m)
		if toYear {
			return p[3]
		}
		return p[2] + " " + p[3]
	})
	if toYear {
		s = monthInText().ReplaceAllString(s, "${1}${3}")
		s = isoMonthText().ReplaceAllString(s, "$1")
	}
	return s
}

// coarsenFound cuts every date that findDates reads in s (any order of day,
// month and year, month names in English, Russian and Ukrainian, ordinals,
// "the 21st of May 2018", "September 16th, 2020", Roman months, 20200916)
// to the month, or to the year when toYear or when the reading of the
// month is ambiguous (04.02.1986).
func coarsenFound(s string, toYear bool) string {
	found := findDates(s, tokenize(s))
	if len(found) == 0 {
		return s
	}
	type rng struct {
		a, b int
		key  string
	}
	var spans []rng
	// The forms that the expressions above cut are theirs; readings that
	// overlap them are numbers of two neighbouring dates.
	for _, re := range []*regexp.Regexp{isoInText(), dottedInText(), namedInText(), monthInText(), isoMonthText()} {
		for _, m := range re.FindAllStringIndex(s, -1) {
			spans = append(spans, rng{m[0], m[1], ""})
		}
	}
	for _, d := range found {
		cut := d.date[:7]
		if toYear {
			cut = d.date[:4]
		}
		merged := false
		for i := range spans {
			sp := &spans[i]
			if sp.key != "" && d.start == sp.a && d.end == sp.b {
				// Two readings of the same numbers.
				if d.date[:7] != sp.key {
					sp.key = d.date[:4]
				}
				merged = true
				break
			}
			if d.start < sp.b && sp.a < d.end && (sp.key != "" || d.start > sp.a || d.end < sp.b || d.end-d.start == sp.b-sp.a) {
				// A reading across two dates (the first wins), or a form
				// the expressions cut; but "the 21st of May 2018" holds
				// their "May 2018" and is cut whole.
				merged = true
				break
			}
		}
		if !merged {
			spans = append(spans, rng{d.start, d.end, cut})
		}
	}
	slices.SortFunc(spans, func(x, y rng) int { return y.a - x.a })
	last := len(s) + 1
	for _, sp := range spans {
		if sp.key == "" {
			continue
		}
		if sp.b > last {
			continue
		}
		s = s[:sp.a] + sp.key + s[sp.b:]
		last = sp.a
	}
	return s
}
