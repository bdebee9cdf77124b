package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newEvidenceListCmd(g *globals) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "list CASE | --name NAME",
		Short: "List the evidence files of a case",
		Example: `  casevault evidence list c7k2m9xq4a5b6c7d8
  casevault evidence list c7k2m9xq4a5b6c7d8 --json`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := caseRefOf(args, name)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			c, err := ref.resolve(v)
			if err != nil {
				return err
			}
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
	addCaseNameFlag(cmd, &name)
	return cmd
}
