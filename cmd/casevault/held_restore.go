package main

import (
	"github.com/spf13/cobra"
)

func newHeldRestoreCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore ID",
		Short: "Make a new case of the work held back from removed case ID",
		Long: `Make a new case of the work held back when case ID was removed by another
copy: the case's last document here, and each held-back evidence item, read,
verified and added to the new case. The removed case stays removed; the new
case has a new ID, and the next sync sends it to the other copies.`,
		Example: `  casevault held restore c7k2m9xq4a5b6c7d8`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := heldCaseID(args[0])
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			nid, err := v.RestoreHeld(cmd.Context(), id)
			if err != nil {
				return err
			}
			return g.report(map[string]any{"removed": id.String(), "case": nid.String()}, "work held back from removed case %s restored as new case %s", id, nid)
		},
	}
}
