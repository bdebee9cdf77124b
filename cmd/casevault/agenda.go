package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

type agendaOptions struct {
	days int
	from string
	ics  bool
	out  string
}

func newAgendaCmd(g *globals) *cobra.Command {
	var o agendaOptions
	cmd := &cobra.Command{
		Use:   "agenda [--days N] [--from DATE] [--json | --ics -o FILE]",
		Short: "List the coming hearings and deadlines of every case, soonest first",
		Long: `List the hearings (case field hearings) and deadlines (case field
deadlines) of every case from today for --days days, soonest first: by
day, then time (the day's deadlines and untimed hearings first), then name.
Entries dated only by month or year are left out.

--ics writes the same as an iCalendar file (RFC 5545) to import into a
calendar app: one event per hearing (at its time, for an hour; all day
without a time) and one all-day event per deadline, each with a UID that
stays the same from one agenda to the next, so that importing a newer file
updates the events. The file holds the names of the people and their
courts: it is created 0600 with -o FILE (which must not exist), never
written to standard output, and a calendar that syncs will copy it to its
server.`,
		Example: `  casevault agenda
  casevault agenda --days 30 --json
  casevault agenda --days 60 --ics -o hearings.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAgenda(cmd, g, o) },
	}
	cmd.Flags().IntVar(&o.days, "days", 14, "how many days to list, from --from")
	cmd.Flags().StringVar(&o.from, "from", "", "first day, YYYY-MM-DD (default today)")
	cmd.Flags().BoolVar(&o.ics, "ics", false, "write an iCalendar file (with -o FILE)")
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "with --ics: the file to write (created 0600, must not exist)")
	return cmd
}

func runAgenda(cmd *cobra.Command, g *globals, o agendaOptions) error {
	if o.days < 1 || o.days > 36600 {
		return usagef("--days %d: give a number of days from 1 to 36600", o.days)
	}
	if o.from == "" {
		o.from = time.Now().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, o.from); err != nil {
		return usagef("--from %q: give a day as YYYY-MM-DD", o.from)
	}
	switch {
	case o.ics && g.json:
		return usagef("give --json or --ics, not both")
	case o.ics && (o.out == "" || o.out == "-"):
		return usagef("--ics writes a file that holds names: give -o FILE (it is never written to standard output)")
	case !o.ics && o.out != "":
		return usagef("-o is for --ics: the list is printed on standard output")
	}
	if o.ics {
		if err := checkNewFile(o.out); err != nil {
			return err
		}
	}
	v, err := g.openVaultReadOnly()
	if err != nil {
		return err
	}
	defer v.Close()
	items, err := v.Agenda(cmd.Context(), o.from, o.days)
	if err != nil {
		return err
	}
	switch {
	case o.ics:
		g.warnf("%s holds the names and courts of %s: keep it private (a calendar that syncs copies it to its server)", o.out, agendaPeople(items))
		err := g.writePrivateOutput(o.out, g.tr("an iCalendar file"), func(w io.Writer) error {
			return vault.WriteICS(w, items, time.Now())
		})
		if err != nil {
			return err
		}
		g.infof("wrote %d events to %s", len(items), o.out)
		return nil
	case g.json:
		return g.printJSON(items)
	}
	return g.printAgenda(items, o)
}

// agendaPeople says how many people items name.
func agendaPeople(items []vault.AgendaItem) string {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Case] = true
	}
	if len(seen) == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", len(seen))
}

// printAgenda prints items as an aligned table, text from cases made safe
// for the terminal.
func (g *globals) printAgenda(items []vault.AgendaItem, o agendaOptions) error {
	if len(items) == 0 {
		g.infof("no hearings or deadlines in the %d days from %s", o.days, o.from)
		return nil
	}
	bw := bufio.NewWriter(g.env.stdout)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, g.header("agenda"))
	for _, it := range items {
		what, detail := g.ui("ui.word."+it.Kind, nil), it.What
		if it.Kind == vault.AgendaHearing {
			detail = it.Court
			if it.HearingKind != "" {
				what += " (" + g.vocab("hearing", it.HearingKind) + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.Date, agendaDash(it.Time), what, agendaCell(it.Name), agendaCell(detail), it.Case)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

func agendaDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// agendaCell is text from a case as one table cell: safe for the terminal, no
// tabs or line breaks.
func agendaCell(s string) string {
	return agendaDash(strings.Join(strings.Fields(plain(s)), " "))
}
