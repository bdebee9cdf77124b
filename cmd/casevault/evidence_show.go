package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newEvidenceShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show EVID",
		Short: "Show the metadata of an evidence file",
		Example: `  casevault evidence show e3xq4a5b6c7dak2mz
  casevault evidence show e3xq4a5b6c7dak2mz --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, v, err := g.evidenceVault(args[0], false)
			if err != nil {
				return err
			}
			defer v.Close()
			m, err := v.Evidence(e)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(m)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			row := func(k, val string) {
				if val != "" {
					fmt.Fprintf(tw, "%s:\t%s\n", k, plain(val))
				}
			}
			row("id", m.ID)
			row("case", m.Case)
			row("name", m.Name)
			row("media type", m.MediaType)
			row("size", fmt.Sprintf("%d bytes (%s)", m.Size, humanSize(m.Size)))
			row("sha256", m.SHA256)
			row("added", m.Added.Format(time.RFC3339)+" by "+m.AddedBy)
			row("collected by", m.CollectedBy)
			row("collected at", m.CollectedAt)
			row("source", m.Source)
			row("note", m.Note)
			return tw.Flush()
		},
	}
}
