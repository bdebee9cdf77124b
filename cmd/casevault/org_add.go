package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newOrgAddCmd(g *globals) *cobra.Command {
	var recipient, verifyKey string
	cmd := &cobra.Command{
		Use:   "add CARDFILE | add NAME --recipient AGE_RECIPIENT --verify-key KEY",
		Short: "Add a partner organisation from its card, or from its keys given by hand",
		Long: `Add a partner organisation. From a card file, the card's self-signature is
verified first. Either way the fingerprint of the partner's keys is printed:
compare it with the partner over the phone (they see theirs with 'casevault
org card -o FILE') before sending or importing bundles. Bundles are encrypted
to the recipient, and bundles from the partner must be signed with the
verification key.`,
		Example: `  casevault org add beta-card.json
  casevault org add "Beta Rights" --recipient age1… --verify-key BASE64KEY`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var card *vault.Card
			var err error
			if recipient != "" || verifyKey != "" {
				if recipient == "" || verifyKey == "" {
					return usagef("give both --recipient and --verify-key, or a card file alone")
				}
				card, err = vault.CardFromKeys(args[0], recipient, verifyKey)
			} else {
				var data []byte
				data, err = readSmall(args[0], vault.MaxCardSize)
				if err == nil {
					card, err = vault.ParseCard(data)
				}
				if err != nil {
					err = fmt.Errorf("%s: %w", args[0], err)
				}
			}
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			o, err := v.AddOrg(card)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(orgJSON(o))
			}
			fmt.Fprintf(g.env.stdout, "%s\nfingerprint: %s\n", plain(o.Name), o.Fingerprint)
			g.infof("added organisation %q", o.Name)
			g.infof("compare the fingerprint with %q over the phone before exchanging bundles", o.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&recipient, "recipient", "", "the partner's age recipient (age1… or age1pq1…)")
	cmd.Flags().StringVar(&verifyKey, "verify-key", "", "the partner's Ed25519 verification key (base64, as on its card)")
	return cmd
}
