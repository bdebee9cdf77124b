package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newRemoteListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the remotes (never their secrets)",
		Example: `  casevault remote list
  casevault remote list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			rs, err := v.Remotes()
			if err != nil {
				return err
			}
			if g.json {
				out := make([]map[string]any, 0, len(rs))
				for i := range rs {
					out = append(out, remoteJSON(&rs[i]))
				}
				return g.printJSON(out)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("remote"))
			for _, r := range rs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", plain(r.Name), plain(r.URL()), plain(r.Endpoint), r.Added.Format(time.DateOnly))
			}
			return tw.Flush()
		},
	}
}
