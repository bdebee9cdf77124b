package main

import (
	"github.com/spf13/cobra"
)

func newCaseRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a case, its revisions and its evidence",
		Long: `Remove a case with all its revisions, evidence and shares. The case's data
key is deleted; to make sure no copy left inside the store can ever be read
again, use 'casevault case purge', which also rotates the master key.`,
		Example: `  casevault case rm c7k2m9xq4a5b6c7d8`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseCaseArg(args[0])
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.RemoveCase(id); err != nil {
				return err
			}
			return g.report(map[string]any{"removed": id.String()}, "removed case %s", id)
		},
	}
}
