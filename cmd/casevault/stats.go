package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newStatsCmd(g *globals) *cobra.Command {
	var f vault.Filter
	var format, out string
	cmd := &cobra.Command{
		Use:   "stats [filters] [--format table|csv|svg|html] [-o FILE]",
		Short: "Count cases by status, article, region, facility, year, mistreatment and conditions",
		Long: `Count the cases of the vault, or those the filters select (the filters of
'casevault case list'), by status, article, region, facility, year of first
detention, kind of mistreatment and detention condition.

A case counts once under each value it has: a case charged under two
articles counts under both, so the counts of a table may add up to more than
the number of cases. Articles are counted without their part (207.3(1) and
207.3(2) count as 207.3); regions and facilities spelt differently only in
case or ё/е count as one. "(none)" counts the cases without a value.

The counts are of the owner's whole vault, confidential cases included: they
are not for publication as they are.

Output: aligned tables for reading; --json for programs; --format csv one
table of dimension,value,count (total first, value empty for "(none)");
on a terminal, control characters in values are shown escaped as in the
table, into a file or pipe they are written exactly.`,
		Example: `  casevault stats
  casevault stats --article 207.3 --region Crimea --detained-since 2023-01-01
  casevault stats --status sentenced --json | jq '.article[:5]'
  casevault stats --format csv > counts.csv
  casevault stats --format html -o counts.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "csv":
				if out != "" {
					return usagef("-o is for --format svg or html: redirect the %s to a file", format)
				}
			case "svg", "html":
				if out != "" && out != "-" {
					if err := checkNewFile(out); err != nil {
						return err
					}
				}
			default:
				return usagef("unknown --format %q: stats writes table, csv, svg or html (or JSON with --json)", format)
			}
			if g.json && cmd.Flags().Changed("format") {
				return usagef("give --json or --format, not both")
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			noteOldIndex(g, v)
			st, err := v.Stats(cmd.Context(), f)
			if err != nil {
				return err
			}
			switch {
			case g.json:
				return g.printJSON(st)
			case format == "csv":
				return g.printStatsCSV(st)
			case format == "svg" || format == "html":
				page := st.SVGIn
				if format == "html" {
					page = st.HTMLIn
				}
				return g.writePrivateOutput(out, g.tr("the charts (they hold the vault's private counts)"), func(w io.Writer) error {
					_, err := w.Write(page(g.lang))
					return err
				})
			}
			return g.printStats(st)
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().StringVar(&format, "format", "table", "table (aligned, for reading), csv (dimension,value,count), svg or html (charts)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "with --format svg or html: write to FILE (created 0600, must not exist)")
	return cmd
}

// printStats prints each dimension as an aligned table, counts on the
// right.
func (g *globals) printStats(st vault.Stats) error {
	bw := bufio.NewWriterSize(g.env.stdout, 64<<10)
	fmt.Fprintln(bw, g.ui("ui.table.stats.total", map[string]any{"Count": st.Total}))
	for _, d := range st.Dimensions() {
		if len(d.Counts) == 0 {
			continue
		}
		fmt.Fprintln(bw)
		tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', tabwriter.AlignRight)
		// AlignRight aligns every cell: the value is padded by hand.
		head := g.ui("ui.table.stats.dim."+d.Name, nil)
		value := func(v string) string { return g.statsCell(d.Name, v) }
		width := len([]rune(head))
		for _, c := range d.Counts {
			width = max(width, len([]rune(value(c.Value))))
		}
		pad := func(s string) string { return s + strings.Repeat(" ", width-len([]rune(s))) }
		fmt.Fprintf(tw, "%s\t%s\t\n", pad(head), g.ui("ui.table.stats.cases", nil))
		for _, c := range d.Counts {
			fmt.Fprintf(tw, "%s\t%d\t\n", pad(value(c.Value)), c.Count)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// statsValue is a value as the table shows it: "(none)" for none, and
// text from cases made safe for the terminal.
func statsValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return plain(v)
}

// printStatsCSV prints the counts as one CSV table.
func (g *globals) printStatsCSV(st vault.Stats) error {
	w := csv.NewWriter(g.env.stdout)
	// On a terminal, text from cases is escaped as in the table (escape
	// sequences and bidi marks would reach the terminal raw); into a file
	// or a pipe the CSV stays exact.
	cell := statsCSVCell
	if g.env.stdoutIsTerminal() {
		cell = func(s string) string { return plain(statsCSVCell(s)) }
	}
	rows := [][]string{{"dimension", "value", "count"}, {"total", "", strconv.Itoa(st.Total)}}
	for _, d := range st.Dimensions() {
		for _, c := range d.Counts {
			rows = append(rows, []string{d.Name, cell(c.Value), strconv.Itoa(c.Count)})
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return w.Error()
}

// statsCSVCell defuses a value that a spreadsheet would run as a formula (a
// region or facility is text from a case file, which may come from a
// partner).
func statsCSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
