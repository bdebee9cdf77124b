package vault

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteICS writes items as an iCalendar file (RFC 5545) for a calendar
// app: one event per hearing (at its time, for an hour, in the court's
// local time as written; all day without a time) and one all-day event
// per deadline. Lines end in CRLF and are folded at 75 octets without
// splitting a character; text is escaped (\\ \; \, \n) and control
// characters become spaces. Each event's UID names its case and entry, so
// that importing a later agenda updates the event instead of adding
// another; stamp is the DTSTAMP of every event. The file holds the
// people's names: it is private.
func WriteICS(w io.Writer, items []AgendaItem, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//casevault//agenda//EN")
	line("CALSCALE", "GREGORIAN")
	ds := stamp.UTC().Format("20060102T150405Z")
	for _, it := range items {
		day, err := time.Parse(time.DateOnly, it.Date)
		if err != nil {
			return fmt.Errorf("agenda entry of case %s: date %q is not YYYY-MM-DD", it.Case, it.Date)
		}
		line("BEGIN", "VEVENT")
		line("UID", icsText(fmt.Sprintf("%s-%d-%s@casevault", it.Kind, it.Index, it.Case)))
		line("DTSTAMP", ds)
		if at, err := time.Parse("15:04", it.Time); err == nil && it.Kind == AgendaHearing {
			start := day.Add(time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute)
			line("DTSTART", start.Format("20060102T150405"))
			line("DURATION", "PT1H")
		} else {
			line("DTSTART;VALUE=DATE", day.Format("20060102"))
			line("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format("20060102"))
		}
		var summary, desc string
		switch it.Kind {
		case AgendaHearing:
			summary = "Hearing: " + it.Name
			if it.HearingKind != "" {
				summary += " (" + it.HearingKind + ")"
			}
			desc = "Case " + it.Case
			if it.Court != "" {
				line("LOCATION", icsText(it.Court))
			}
		default:
			summary = "Deadline: " + it.Name
			if it.What != "" {
				summary += ": " + it.What
			}
			desc = "Case " + it.Case
		}
		line("SUMMARY", icsText(summary))
		line("DESCRIPTION", icsText(desc))
		line("CLASS", "CONFIDENTIAL")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// icsText escapes s as an iCalendar TEXT value: backslash, semicolon,
// comma and line breaks are escaped; other control characters (which TEXT
// does not allow) become spaces, invalid UTF-8 U+FFFD.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line ended by CRLF, folded (CRLF and a
// space) so that no line is longer than 75 octets, never inside a UTF-8
// sequence.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
