package main

import (
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newHeldListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the work held back by removals from other copies",
		Example: `  casevault held list
  casevault held list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			held, err := v.Held()
			if err != nil {
				return err
			}
			if g.json {
				if held == nil {
					held = []vault.HeldWork{}
				}
				return g.printJSON(held)
			}
			if len(held) == 0 {
				g.infof("no work is held back")
				return nil
			}
			for _, h := range held {
				names := map[string]string{}
				for _, e := range h.Evidence {
					names["evidence "+e.ID] = plain(e.Name)
				}
				items := make([]string, 0, len(h.Items))
				for _, it := range h.Items {
					if n, ok := names[it]; ok {
						it += " (" + n + ")"
					}
					items = append(items, it)
				}
				fmt.Fprintf(g.env.stdout, "%s\t%s\t%s\n", h.Case, h.Removed.UTC().Format("2006-01-02 15:04"), strings.Join(items, ", "))
			}
			return nil
		},
	}
}
