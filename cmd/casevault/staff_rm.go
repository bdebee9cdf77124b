package main

import (
	"github.com/spf13/cobra"
)

func newStaffRmCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "rm NAME [--yes]",
		Short: "Remove a colleague and rotate the master key (owner only)",
		Long: `Remove a staff member: their key file is shredded, the removal is recorded,
and the master key is rotated (as 'casevault rekey'), so their identity opens
nothing in this vault from now on and nothing written afterwards. What they
saw or copied before stays theirs (SECURITY.md, "Staff").`,
		Example: `  casevault staff rm "Anna K"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := g.needYes(yes, "removing staff member "+args[0]); err != nil {
				return err
			}
			if err := g.confirm(yes, "remove "+args[0]+" from the staff and rotate the master key?"); err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			st, err := v.RemoveStaff(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"removed": args[0], "cases": st.Cases, "records": st.Records})
			}
			g.infof("removed %q from the staff; master key rotated (%d cases, %d records re-keyed)", args[0], st.Cases, st.Records)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
