package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseQuarantineCmd(g *globals) *cobra.Command {
	var from, name string
	cmd := &cobra.Command{
		Use:   "quarantine ID",
		Short: "Keep a case but never publish, share or bundle it until released",
		Long: `Quarantine a case, for example one received from a partner that was removed
or is no longer trusted: it stays in the vault and can be read and searched,
but publish leaves it out, and share and bundle export refuse it, until
'casevault case release ID'. 'casevault org rm' offers to quarantine every
case the removed partner sent.`,
		Example: `  casevault case quarantine c7k2m9xq4a5b6c7d8 --from "Beta Rights"
  casevault case release c7k2m9xq4a5b6c7d8`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVaultBy(args, name, false)
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.Quarantine([]vault.CaseID{id}, from); err != nil {
				return err
			}
			return g.report(map[string]any{"case": id.String(), "quarantined": true}, "case %s is quarantined: never published, shared or bundled until 'casevault case release %s'", id, id)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "organisation the case came from (recorded with the quarantine)")
	addCaseNameFlag(cmd, &name)
	return cmd
}

func newCaseReleaseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "release ID",
		Short:   "Lift the quarantine of a case",
		Example: `  casevault case release c7k2m9xq4a5b6c7d8`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVault(args[0], false)
			if err != nil {
				return err
			}
			defer v.Close()
			was, err := v.Release(id)
			if err != nil {
				return err
			}
			if !was {
				return g.report(map[string]any{"case": id.String(), "quarantined": false}, "case %s was not quarantined", id)
			}
			return g.report(map[string]any{"case": id.String(), "quarantined": false}, "case %s released: it can be published and shared again", id)
		},
	}
}
