package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newOrgCardCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "card [-o FILE]",
		Short: "Write this organisation's signed public card",
		Long: `Write this vault's organisation card: its name, age recipient, Ed25519
verification key and fingerprint, signed by the organisation's key. The card
holds no secret; give it to partners, who add it with 'casevault org add',
and read the fingerprint to them so they can check it.`,
		Example: `  casevault org card -o memorial-card.json
  casevault org card | less`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out != "" {
				if err := checkNewFile(out); err != nil {
					return err
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			card, err := v.Card()
			if err != nil {
				return err
			}
			fp := vault.Fingerprint(v.Meta().Recipient, v.Identity().VerifyKey())
			if out == "" {
				_, err = g.env.stdout.Write(card)
				return err
			}
			if err := writeNewFile(out, card); err != nil {
				return err
			}
			g.infof("wrote the card of %q to %s", v.Meta().Org, out)
			g.infof("fingerprint: %s", fp)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the card to FILE (must not exist) instead of standard output")
	return cmd
}
