package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newShareListCmd(g *globals) *cobra.Command {
	var caseID, org string
	cmd := &cobra.Command{
		Use:   "list [--case ID | --org ORG]",
		Short: "List shares: which cases go to which organisations, with which fields",
		Example: `  casevault share list
  casevault share list --case c7k2m9xq4a5b6c7d8
  casevault share list --org "Beta Rights" --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if caseID != "" && org != "" {
				return usagef("give --case or --org, not both")
			}
			var refs []caseRef
			if caseID != "" {
				ref, err := parseCaseRef(caseID)
				if err != nil {
					return err
				}
				refs = append(refs, ref)
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			var id *vault.CaseID
			if c, err := resolveCaseRefs(v, refs); err != nil {
				return err
			} else if len(c) == 1 {
				id = &c[0]
			}
			shares, err := v.Shares(id, org)
			if err != nil {
				return err
			}
			names, err := v.CaseNames()
			if err != nil {
				return err
			}
			if g.json {
				out := make([]shareJSON, len(shares))
				for i, s := range shares {
					out[i] = shareJSON{Share: s, Name: names[s.Case]}
				}
				return g.printJSON(out)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("share"))
			for _, s := range shares {
				f := g.ui("ui.word.allFields", nil)
				if len(s.Fields) > 0 {
					f = strings.Join(s.Fields, ",")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Case, orDash(plain(names[s.Case])), plain(s.Org), f, s.Created.Format(time.DateOnly))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&caseID, "case", "", "only the shares of this case")
	cmd.Flags().StringVar(&org, "org", "", "only the shares with this organisation")
	return cmd
}

// shareJSON is a share as --json prints it: with the case's name, from this
// vault.
type shareJSON struct {
	vault.Share
	Name string `json:"name"`
}

// orDash is s, or "-" for an empty cell.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
