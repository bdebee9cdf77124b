package vault

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Kinds of [AgendaItem].
const (
	AgendaHearing  = "hearing"
	AgendaDeadline = "deadline"
)

// An AgendaItem is one hearing or deadline of a case, as `casevault
// agenda` lists it. It holds the person's name: it is private.
type AgendaItem struct {
	Kind string `json:"kind"` // hearing or deadline
	Date string `json:"date"` // YYYY-MM-DD
	Time string `json:"time,omitempty"`
	Case string `json:"case"`
	Name string `json:"name"` // the person's name (Latin script, else the native one)
	// Court and HearingKind are a hearing's; What is a deadline's.
	Court       string `json:"court,omitempty"`
	HearingKind string `json:"hearing_kind,omitempty"`
	What        string `json:"what,omitempty"`
	// Index is the position of the entry in the case's list of hearings or
	// deadlines: with Case and Kind it names the entry (iCalendar UID).
	Index int `json:"index"`
}

// Agenda returns the hearings and deadlines of every case dated from the
// day from (YYYY-MM-DD) for days days (from included), soonest first:
// by date, then time (an entry without a time first, as the day's), then
// the person's name. Entries whose date is only a month or a year are left
// out: an agenda needs the day.
func (v *Vault) Agenda(ctx context.Context, from string, days int) ([]AgendaItem, error) {
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("agenda: start day %q is not YYYY-MM-DD", from)
	}
	if days < 1 {
		return nil, fmt.Errorf("agenda: %d days: give at least 1", days)
	}
	end := start.AddDate(0, 0, days).Format(time.DateOnly) // excluded
	ids, err := v.CaseIDs()
	if err != nil {
		return nil, err
	}
	items := []AgendaItem{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := v.Case(id)
		if err != nil {
			return nil, err
		}
		c, err := r.Case()
		if err != nil {
			return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		name := c.Name()
		if name == "" {
			name = c.NameNative()
		}
		in := func(d string) bool { return len(d) == len(time.DateOnly) && d >= from && d < end }
		hearings, _ := c.Doc["hearings"].([]any)
		for i, h := range hearings {
			m, _ := h.(map[string]any)
			if d := str(m["date"]); in(d) {
				items = append(items, AgendaItem{Kind: AgendaHearing, Date: d, Time: str(m["time"]), Case: id.String(), Name: name,
					Court: str(m["court"]), HearingKind: str(m["kind"]), Index: i})
			}
		}
		deadlines, _ := c.Doc["deadlines"].([]any)
		for i, e := range deadlines {
			m, _ := e.(map[string]any)
			if d := str(m["due"]); in(d) {
				items = append(items, AgendaItem{Kind: AgendaDeadline, Date: d, Case: id.String(), Name: name, What: str(m["what"]), Index: i})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b AgendaItem) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Time, b.Time), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Case, b.Case), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Index, b.Index))
	})
	return items, nil
}

func str(v any) string { s, _ := v.(string); return s }
