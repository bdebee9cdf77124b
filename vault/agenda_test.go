package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"pgregory.net/rapid"
)

const agendaCaseA = `person:
  name: Ivan Sokolov
hearings:
  - date: 2026-12-04
    time: "14:00"
    court: Basmanny District Court
    kind: extension
    notes: the investigator asks for three more months
  - date: 2026-11-20
    court: Moscow City Court
    outcome: postponed
  - date: 2026-12
    kind: trial
deadlines:
  - what: appeal against the extension, within 3 days
    due: 2026-12-07
`

const agendaCaseB = `person:
  name: Anna Orlova
hearings:
  - date: 2026-12-04
    time: "10:00"
    court: Omsk Regional Court
    kind: appeal
  - date: 2027-02-01
    kind: trial
deadlines:
  - what: complaint to the ECHR
    due: 2026-12-04
`

// TestAgenda: hearings and deadlines of all cases within the window,
// soonest first (date, then time, a deadline of the day first), past ones
// and ones known only by month left out.
func TestAgenda(t *testing.T) {
	_, v := coreInit(t, true)
	a := coreAdd(t, v, agendaCaseA)
	b := coreAdd(t, v, agendaCaseB)
	coreAdd(t, v, "person:\n  name: No Hearings\n")
	items, err := v.Agenda(context.Background(), "2026-11-30", 14)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Date+" "+it.Time+" "+it.Kind+" "+it.Name+" "+it.Court+it.What)
	}
	want := []string{
		"2026-12-04  deadline Anna Orlova complaint to the ECHR",
		"2026-12-04 10:00 hearing Anna Orlova Omsk Regional Court",
		"2026-12-04 14:00 hearing Ivan Sokolov Basmanny District Court",
		"2026-12-07  deadline Ivan Sokolov appeal against the extension, within 3 days",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("agenda:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if items[2].Case != a.String() || items[1].Case != b.String() || items[2].Index != 0 || items[2].HearingKind != "extension" {
		t.Errorf("items: %+v", items)
	}
	// The window is the days asked for: the 14 days from 2026-11-30 end
	// before 2026-12-14; the first day is included.
	if items, _ := v.Agenda(context.Background(), "2026-12-05", 3); len(items) != 1 || items[0].Date != "2026-12-07" {
		t.Errorf("3 days from 2026-12-05: %+v", items)
	}
	if items, _ := v.Agenda(context.Background(), "2026-12-08", 56); len(items) != 1 || items[0].Date != "2027-02-01" {
		t.Errorf("56 days from 2026-12-08: %+v", items)
	}
	if _, err := v.Agenda(context.Background(), "30.11.2026", 14); err == nil {
		t.Error("a start day not YYYY-MM-DD accepted")
	}
	if _, err := v.Agenda(context.Background(), "2026-11-30", 0); err == nil {
		t.Error("0 days accepted")
	}
	// The notes never reach the agenda.
	j, _ := json.Marshal(items)
	if bytes.Contains(j, []byte("investigator")) {
		t.Errorf("agenda holds a hearing's notes: %s", j)
	}
	// The court of a hearing is found by search (x-search: the index is
	// driven by the schema).
	hits, err := v.Search("basmanny")
	if err != nil || len(hits) != 1 || hits[0].ID != a.String() {
		t.Errorf("search for a hearing's court: %v, %v", hits, err)
	}
}

// TestOpenPreviousVaultAgenda: a vault written before hearings and
// deadlines existed opens, its cases have none (an empty agenda), and an
// old case takes a hearing, found by its court after the index of the
// old field list is rebuilt.
func TestOpenPreviousVaultAgenda(t *testing.T) {
	dir, _, u := previousVault(t)
	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open of the previous vault: %v", err)
	}
	defer func() { v.Close() }()
	items, err := v.Agenda(context.Background(), "1900-01-01", 365*300)
	if err != nil || len(items) != 0 {
		t.Fatalf("agenda of the previous vault: %v, %v", items, err)
	}
	id, err := ParseCaseID(prevCase2)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Case()
	if err != nil {
		t.Fatal(err)
	}
	c.Doc["hearings"] = []any{map[string]any{"date": "2031-03-03", "court": "Zyuzinsky District Court", "kind": "appeal"}}
	if _, err := v.UpdateCase(id, c); err != nil {
		t.Fatalf("adding a hearing to an old case: %v", err)
	}
	items, err = v.Agenda(context.Background(), "2031-03-01", 14)
	if err != nil || len(items) != 1 || items[0].Case != prevCase2 {
		t.Fatalf("agenda: %+v, %v", items, err)
	}
	hits, err := v.Search("zyuzinsky")
	if err != nil || len(hits) != 1 {
		t.Errorf("search for the new hearing's court: %v, %v", hits, err)
	}
}

// checkICS checks the octets of an iCalendar file as RFC 5545 wants them:
// CRLF line ends and nothing else, lines of at most 75 octets, folds only
// between characters, and the text of each unfolded line valid UTF-8.
func checkICS(t interface{ Fatalf(string, ...any) }, b []byte) {
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("file does not end with CRLF")
	}
	lines := bytes.Split(b[:len(b)-2], []byte("\r\n"))
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d holds a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Fatalf("line %d is not valid UTF-8 (a fold split a character?): %q", i, l)
		}
		for _, c := range l {
			if c < 0x20 && c != '\t' || c == 0x7f {
				t.Fatalf("line %d holds control character %#x", i, c)
			}
		}
	}
}

// icsNormal is what a text becomes in a calendar: invalid UTF-8 replaced,
// line breaks as LF, other control characters as spaces.
func icsNormal(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

// TestICSRoundTrip: whatever the names, courts and deadlines say, the
// file is strict RFC 5545 text, and an independent parser
// (github.com/arran4/golang-ical) reads back each event with the text as
// written (up to what a calendar cannot hold), its UID and its date.
func TestICSRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune("\\;,:\"\r\n\tЖ€𝄞 aA\x00\x1b"))),
			rapid.Map(rapid.SliceOfN(rapid.Byte(), 0, 200), func(b []byte) string { return string(b) }))
		n := rapid.IntRange(1, 5).Draw(t, "n")
		var items []AgendaItem
		for i := range n {
			it := AgendaItem{Kind: rapid.SampledFrom([]string{AgendaHearing, AgendaDeadline}).Draw(t, "kind"),
				Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 4000).Draw(t, "day")).Format(time.DateOnly),
				Case: "c" + strings.Repeat("a", 16), Name: text.Draw(t, "name"), Index: i}
			if it.Kind == AgendaHearing {
				it.Court, it.HearingKind = text.Draw(t, "court"), "trial"
				if rapid.Bool().Draw(t, "timed") {
					it.Time = time.Date(0, 1, 1, rapid.IntRange(0, 23).Draw(t, "h"), rapid.IntRange(0, 59).Draw(t, "m"), 0, 0, time.UTC).Format("15:04")
				}
			} else {
				it.What = text.Draw(t, "what")
			}
			items = append(items, it)
		}
		var buf bytes.Buffer
		if err := WriteICS(&buf, items, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		checkICS(t, buf.Bytes())
		cal, err := ics.ParseCalendar(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("golang-ical: %v\n%q", err, buf.String())
		}
		evs := cal.Events()
		if len(evs) != n {
			t.Fatalf("%d events read back, want %d", len(evs), n)
		}
		for i, ev := range evs {
			it := items[i]
			want := "Hearing: " + it.Name + " (trial)"
			if it.Kind == AgendaDeadline {
				want = "Deadline: " + it.Name
				if it.What != "" {
					want += ": " + it.What
				}
			}
			if got := ev.GetProperty(ics.ComponentPropertySummary).Value; got != icsNormal(want) {
				t.Fatalf("event %d: SUMMARY %q, want %q\n%q", i, got, icsNormal(want), buf.String())
			}
			if it.Kind == AgendaHearing && it.Court != "" {
				if got := ev.GetProperty(ics.ComponentPropertyLocation).Value; got != icsNormal(it.Court) {
					t.Fatalf("event %d: LOCATION %q, want %q", i, got, icsNormal(it.Court))
				}
			}
			if ev.Id() != it.Kind+"-"+string(rune('0'+i))+"-"+it.Case+"@casevault" {
				t.Fatalf("event %d: UID %q", i, ev.Id())
			}
			start := ev.GetProperty(ics.ComponentPropertyDtStart).Value
			if !strings.HasPrefix(start, strings.ReplaceAll(it.Date, "-", "")) {
				t.Fatalf("event %d: DTSTART %q for %s", i, start, it.Date)
			}
			if ev.GetProperty(ics.ComponentPropertyDtstamp).Value != "20261130T090000Z" {
				t.Fatalf("event %d: no DTSTAMP", i)
			}
		}
	})
}

func FuzzWriteICS(f *testing.F) {
	f.Add("Ivan, \"Sokolov\"; \\n", "Суд\r\n№1")
	f.Fuzz(func(t *testing.T, name, court string) {
		var buf bytes.Buffer
		it := AgendaItem{Kind: AgendaHearing, Date: "2026-12-04", Time: "14:00", Case: "cx", Name: name, Court: court}
		if err := WriteICS(&buf, []AgendaItem{it}, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
		checkICS(t, buf.Bytes())
		cal, err := ics.ParseCalendar(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		loc := cal.Events()[0].GetProperty(ics.ComponentPropertyLocation)
		switch {
		case court == "" && loc != nil:
			t.Fatalf("LOCATION %q for no court", loc.Value)
		case court != "" && (loc == nil || loc.Value != icsNormal(court)):
			t.Fatalf("LOCATION %v, want %q", loc, icsNormal(court))
		}
	})
}
