package publish

import (
	"github.com/casevault/casevault/schema"
)

// nextHearing is the date of c's first hearing on or after today
// (YYYY-MM-DD), from the hearing dates that are public in c (an override
// that raises hearings or hearings.date hides them all), or "" when there
// is none or today is "". Only full days count: a hearing known only by
// month or year is not announced. An anonymous case publishes none (a
// hearing's day points to its court and so to the person); project's
// caller leaves it out.
func nextHearing(c *schema.Case, today string) string {
	if today == "" {
		return ""
	}
	f := c.Filter(func(_ string, l schema.Level) bool { return l == schema.Public }).Doc
	next := ""
	for _, h := range list(f["hearings"]) {
		d := str(obj(h)["date"])
		if len(d) == len("2006-01-02") && d >= today && (next == "" || d < next) {
			next = d
		}
	}
	return next
}
