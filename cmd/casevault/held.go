package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newHeldCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "held",
		Short: "Work held back when another copy removed a case: list, restore or drop it",
		Long: `When sync applies a case removal made on another copy of the vault and this
copy has work the other never saw (revisions made after the removed one,
evidence added since), the case is removed here too, but that work is held
back, sealed, instead of being deleted. Held-back work is no case: lists,
search, stats, export, publish and sync leave it out.

'held restore' makes a new case of it (the case's last document here and the
held-back evidence, verified): the removal still stands, and the next sync
sends the new case to the other copies. 'held drop' deletes it for good;
'casevault case purge' of the removed case drops it too.`,
		Example: `  casevault held list
  casevault held restore c7k2m9xq4a5b6c7d8
  casevault held drop --yes c7k2m9xq4a5b6c7d8`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newHeldListCmd(g), newHeldRestoreCmd(g), newHeldDropCmd(g))
	return cmd
}

func heldCaseID(s string) (vault.CaseID, error) {
	id, err := vault.ParseCaseID(s)
	if err != nil {
		return id, usagef("%s is not a case ID: %v", plain(s), err)
	}
	return id, nil
}
