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
		Example: `  casevault org rm "Beta Rights"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
