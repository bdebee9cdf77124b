package main

import (
	"github.com/spf13/cobra"
)

func newUnshareCmd(g *globals) *cobra.Command {
	var with, name string
	cmd := &cobra.Command{
		Use:   "unshare CASE --with ORG",
		Short: "Stop sharing a case with a partner organisation",
		Long: `Remove the share of a case with a partner: later bundles to it no longer
carry the case. Bundles already sent cannot be recalled.`,
		Example: `  casevault unshare c7k2m9xq4a5b6c7d8 --with "Beta Rights"`,
		Args:    caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			if with == "" {
				return usagef("--with ORG is required")
			}
			var used bool
			var err error
			if with, err = g.stdinValue(with, "partner organisation", &used); err != nil {
				return err
			}
			id, v, err := g.caseVaultBy(args, name, false)
			if err != nil {
				return err
			}
			defer v.Close()
			if with, err = v.ResolveOrg(with); err != nil {
				return err
			}
			if err := v.Unshare(id, with); err != nil {
				return err
			}
			return g.report(map[string]any{"case": id.String(), "org": with, "shared": false}, "case %s is no longer shared with %q; bundles already sent cannot be recalled", id, with)
		},
	}
	cmd.Flags().StringVar(&with, "with", "", "partner organisation (- reads the name from standard input)")
	addCaseNameFlag(cmd, &name)
	return cmd
}
