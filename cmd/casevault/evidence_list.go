package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newEvidenceListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list CASE",
		Short: "List the evidence files of a case",
		Example: `  casevault evidence list c7k2m9xq4a5b6c7d8
  casevault evidence list c7k2m9xq4a5b6c7d8 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := parseCaseArg(args[0])
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			list, err := v.EvidenceList(c)
			if err != nil {
				return err
			}
			if g.json {
				if list == nil {
					list = []vault.EvidenceMeta{}
				}
				return g.printJSON(list)
			}
			return g.printEvidenceTable(list)
		},
	}
}
