package main

import (
	"fmt"
	"strings"

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

func newHeldListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the work held back by removals from other copies",
		Example: `  casevault held list
  casevault held list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			held, err := v.Held()
			if err != nil {
				return err
			}
			if g.json {
				if held == nil {
					held = []vault.HeldWork{}
				}
				return g.printJSON(held)
			}
			if len(held) == 0 {
				g.infof("no work is held back")
				return nil
			}
			for _, h := range held {
				names := map[string]string{}
				for _, e := range h.Evidence {
					names["evidence "+e.ID] = plain(e.Name)
				}
				items := make([]string, 0, len(h.Items))
				for _, it := range h.Items {
					if n, ok := names[it]; ok {
						it += " (" + n + ")"
					}
					items = append(items, it)
				}
				fmt.Fprintf(g.env.stdout, "%s\t%s\t%s\n", h.Case, h.Removed.UTC().Format("2006-01-02 15:04"), strings.Join(items, ", "))
			}
			return nil
		},
	}
}

func heldCaseID(s string) (vault.CaseID, error) {
	id, err := vault.ParseCaseID(s)
	if err != nil {
		return id, usagef("%s is not a case ID: %v", plain(s), err)
	}
	return id, nil
}

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
