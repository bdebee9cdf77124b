package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseListCmd(g *globals) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:   "list [--status S]",
		Short: "List cases (id, name, status, updated)",
		Example: `  casevault case list
  casevault case list --status sentenced --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			list, err := v.ListCases(status)
			if err != nil {
				return err
			}
			return g.printSummaries(list)
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only cases with this status (pretrial, sentenced, released, exchanged, deceased, wanted, other)")
	return cmd
}

// printSummaries prints case summaries as a table, or as a JSON array.
func (g *globals) printSummaries(list []vault.Summary) error {
	if g.json {
		if list == nil {
			list = []vault.Summary{}
		}
		return g.printJSON(list)
	}
	tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tUPDATED")
	for _, s := range list {
		name := s.Name
		if s.NameNative != "" {
			name += " (" + s.NameNative + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, name, s.Status, s.Updated.Format(time.DateOnly))
	}
	return tw.Flush()
}
