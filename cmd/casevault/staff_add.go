package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newStaffAddCmd(g *globals) *cobra.Command {
	var readmit bool
	cmd := &cobra.Command{
		Use:   "add CARDFILE [--readmit]",
		Short: "Add a colleague from their staff card (owner only)",
		Long: `Add a colleague from the card they made with 'casevault staff card'. The card's
signature is verified, the master key is wrapped to their recipient, and the
fingerprint is printed: compare it with them in person or over the phone.
A card whose key was removed before is refused unless --readmit says that
you mean to take them back.`,
		Example: `  casevault staff add anna.card
  casevault staff add anna.card --readmit`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readSmall(args[0], vault.MaxStaffCardSize)
			if err == nil {
				_, err = vault.ParseStaffCard(data)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			m, err := v.AddStaff(data, readmit)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(staffJSON(m))
			}
			fmt.Fprintf(g.env.stdout, "%s\nfingerprint: %s\n", plain(m.Name), m.Fingerprint)
			g.infof("added %q to the staff", m.Name)
			g.infof("compare the fingerprint with %q before they rely on the vault", m.Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&readmit, "readmit", false, "take back a colleague whose key was removed before")
	return cmd
}
