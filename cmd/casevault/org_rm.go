package main

import (
	"github.com/spf13/cobra"
)

func newOrgRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a partner organisation and its shares",
		Long: `Remove a partner organisation: its shares are deleted, no bundle can be
exported to it, and bundles from it are refused. Bundles already sent to it
cannot be recalled: it keeps what it received.`,
		Example: `  casevault org rm "Beta Rights"
  casevault org rm -        # type the name: not in ps or shell history`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var used bool
			name, err := g.stdinValue(args[0], "partner organisation", &used)
			if err != nil {
				return err
			}
			args[0] = name
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.RemoveOrg(args[0]); err != nil {
				return err
			}
			return g.report(map[string]any{"removed": args[0]}, "removed organisation %q; bundles already sent to it cannot be recalled", args[0])
		},
	}
}
