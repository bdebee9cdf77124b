package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newCaseHistoryCmd(g *globals) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "history ID | --name NAME",
		Short: "List every revision of a case with its time and author",
		Example: `  casevault case history c7k2m9xq4a5b6c7d8
  casevault case show c7k2m9xq4a5b6c7d8 --rev 2`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVaultBy(args, name, true)
			if err != nil {
				return err
			}
			defer v.Close()
			revs, err := v.History(id)
			if err != nil {
				return err
			}
			if g.json {
				out := make([]revisionJSON, 0, len(revs))
				for _, r := range revs {
					j, err := toRevisionJSON(r, true)
					if err != nil {
						return err
					}
					out = append(out, j)
				}
				return g.printJSON(out)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "REV\tTIME\tAUTHOR\tOPERATION\tSHA-256")
			for _, r := range revs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.Rev, r.Time.Format(time.RFC3339), plain(r.Author), r.Op, r.SHA256[:16])
			}
			return tw.Flush()
		},
	}
	addCaseNameFlag(cmd, &name)
	return cmd
}
