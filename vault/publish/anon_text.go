package publish

import (
	"regexp"
	"strings"
)

// Dates written inside the free text of an anonymous case (summary,
// sentence, charge titles): ISO "2020-09-16", dotted "16.09.2020", and
// "16 September 2020" / "16 сентября 2020". They are cut like the case's
// date fields, so that a verdict date removed from its field does not
// come back through the summary.
var (
	isoInText    = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dottedInText = regexp.MustCompile(`\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b`)
	namedInText  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	monthInText  = regexp.MustCompile(`(?i)(^|[^\p{L}])(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	isoMonthText = regexp.MustCompile(`\b(\d{4})-(\d{2})\b`)
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
	s = isoInText.ReplaceAllStringFunc(s, func(m string) string {
		p := isoInText.FindStringSubmatch(m)
		if toYear {
			return p[1]
		}
		return p[1] + "-" + p[2]
	})
	s = dottedInText.ReplaceAllStringFunc(s, func(m string) string {
		p := dottedInText.FindStringSubmatch(m)
		if toYear {
			return p[3]
		}
		mm := p[2]
		if len(mm) == 1 {
			mm = "0" + mm
		}
		return p[3] + "-" + mm
	})
	s = namedInText.ReplaceAllStringFunc(s, func(m string) string {
		p := namedInText.FindStringSubmatch(m)
		if toYear {
			return p[3]
		}
		return p[2] + " " + p[3]
	})
	if toYear {
		s = monthInText.ReplaceAllString(s, "${1}${3}")
		s = isoMonthText.ReplaceAllString(s, "$1")
	}
	return s
}
