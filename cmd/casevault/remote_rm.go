package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRemoteRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Forget a remote and its sync journal (nothing is deleted from the store)",
		Long: `Forget a remote: its address, credentials and the journal of what was synced
with it. Objects in the store are left as they are. Refused while evidence is
kept only on that remote.`,
		Example: `  casevault remote rm office`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.RemoveRemote(args[0]); err != nil {
				return err
			}
			fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("removed remote %s", plain(args[0]))))
			return nil
		},
	}
}
