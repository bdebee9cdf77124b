package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newPasswdCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd",
		Short: "Change the vault passphrase",
		Long: `Change the passphrase that protects the organisation's identity. The old
passphrase (or --identity) unlocks the vault; the new one is asked twice. With
$CASEVAULT_PASSPHRASE_FILE the old passphrase is its first line and the new one
comes from $CASEVAULT_NEW_PASSPHRASE_FILE.`,
		Example: `  casevault passwd`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultNoAgent() // the agent never stands in for the current passphrase
			if err != nil {
				return err
			}
			defer v.Close()
			var pass []byte
			if f := g.env.getenv("CASEVAULT_NEW_PASSPHRASE_FILE"); f != "" {
				pass, err = readPassphraseFile(f)
			} else if g.env.getenv("CASEVAULT_PASSPHRASE_FILE") != "" {
				// g.passphrase would read the old passphrase file again and
				// "change" the passphrase to the same one.
				return usagef("CASEVAULT_PASSPHRASE_FILE is set but CASEVAULT_NEW_PASSPHRASE_FILE is not: name a file with the new passphrase, or unset CASEVAULT_PASSPHRASE_FILE to be asked on the terminal")
			} else {
				pass, err = g.passphrase("new passphrase: ", true)
			}
			if err != nil {
				return err
			}
			if err := vault.CheckPassphraseStrength(pass, v.Meta().Org); err != nil {
				return err
			}
			if err := v.CheckNewPassphrase(pass); err != nil {
				return err
			}
			if err := v.ChangePassphrase(pass); err != nil {
				return err
			}
			return g.report(map[string]any{"passphrase_changed": true}, "passphrase changed")
		},
	}
}
