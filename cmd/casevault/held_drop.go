package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newHeldDropCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "drop ID",
		Short: "Delete for good the work held back from removed case ID",
		Example: `  casevault held drop c7k2m9xq4a5b6c7d8          # asks for confirmation
  casevault held drop --yes c7k2m9xq4a5b6c7d8    # in a script`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := heldCaseID(args[0])
			if err != nil {
				return err
			}
			if err := g.needYes(yes, "held drop"); err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if err := g.confirm(yes, fmt.Sprintf("delete the work held back from removed case %s for good?", id)); err != nil {
				return err
			}
			if err := v.DropHeld(id); err != nil {
				return err
			}
			return g.report(map[string]any{"dropped": id.String()}, "work held back from removed case %s deleted", id)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (needed when standard input is not a terminal)")
	return cmd
}
