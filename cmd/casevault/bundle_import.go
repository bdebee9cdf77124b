package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newBundleImportCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a bundle from a partner organisation",
		Long: `Import a bundle: it must be addressed to this organisation, signed by a
known (not removed) partner, and every entry must match the hash in the
signed manifest. The import is all or nothing. A case the partner sent
before (same origin case ID) gets a new revision when the bundle carries a
newer one; new cases are added with their provenance (sending organisation,
bundle ID, origin case ID, time). Importing the same bundle twice changes
nothing. Prints one line per case: origin case, local case, result.`,
		Example: `  casevault bundle inspect from-alpha.age
  casevault bundle import from-alpha.age`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			res, err := v.ImportBundle(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			if res.AlreadyImported {
				g.infof("bundle %s from %q was imported before: nothing changed", res.BundleID, res.Org)
				return nil
			}
			for _, c := range res.Cases {
				fmt.Fprintf(g.env.stdout, "%s\t%s\t%s\n", c.Origin, c.Case, c.Result)
			}
			g.infof("imported bundle %s from %q: %d case(s)", res.BundleID, res.Org, len(res.Cases))
			return nil
		},
	}
	return cmd
}
