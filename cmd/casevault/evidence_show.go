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
			k := func(id string) string { return g.ui("ui.evidence."+id, nil) }
			row(k("id"), m.ID)
			row(k("case"), m.Case)
			row(k("name"), m.Name)
			row(k("mediaType"), m.MediaType)
			row(k("size"), g.ui("ui.evidence.bytes", map[string]any{"Bytes": m.Size, "Human": humanSize(m.Size)}))
			row(k("sha256"), m.SHA256)
			row(k("added"), g.ui("ui.evidence.addedBy", map[string]any{"Time": m.Added.Format(time.RFC3339), "Who": m.AddedBy}))
			row(k("collectedBy"), m.CollectedBy)
			row(k("collectedAt"), m.CollectedAt)
			row(k("source"), m.Source)
			row(k("note"), m.Note)
			return tw.Flush()
		},
	}
}
