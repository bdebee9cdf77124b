package main

import (
	"github.com/spf13/cobra"
)

func newCaseRmCmd(g *globals) *cobra.Command {
	var yes bool
	var name string
	cmd := &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a case, its revisions and its evidence",
		Long: `Remove a case with all its revisions, evidence and shares. The case's data
key is deleted; to make sure no copy left inside the store can ever be read
again, use 'casevault case purge', which also rotates the master key.`,
		Example: `  casevault case rm c7k2m9xq4a5b6c7d8          # asks for confirmation
  casevault case rm --yes c7k2m9xq4a5b6c7d8    # in a script`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := caseRefOf(args, name)
			if err != nil {
				return err
			}
			if err := g.needYes(yes, "case rm"); err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			id, err := ref.resolve(v)
			if err != nil {
				return err
			}
			if err := g.confirmCase(v, yes, id, "remove"); err != nil {
				return err
			}
			if err := v.RemoveCase(id); err != nil {
				return err
			}
			return g.report(map[string]any{"removed": id.String()}, "removed case %s", id)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (needed when standard input is not a terminal)")
	addCaseNameFlag(cmd, &name)
	return cmd
}
