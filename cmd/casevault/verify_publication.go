package main

import (
	"fmt"
	"io"
	"os"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/publish"
	"github.com/spf13/cobra"
)

func newVerifyPublicationCmd(g *globals) *cobra.Command {
	var cardFile string
	cmd := &cobra.Command{
		Use:   "verify-publication DIR --org CARDFILE",
		Short: "Check that a published directory came unaltered from an organisation",
		Long: `Check a directory written by 'casevault publish' against the organisation
card of the organisation that published it: the Ed25519 signature of
MANIFEST.json, the organisation it names, the SHA-256 of every file, and that
no file is missing or added. Needs no vault. Exit code 8 if anything does not
verify.

The card proves whose key signed the publication only as far as the card
itself is trusted: compare its fingerprint with the organisation over another
channel.`,
		Example: `  casevault verify-publication site --org memorial-card.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "org"); err != nil {
				return err
			}
			card, err := readCardForVerify(cardFile)
			if err != nil {
				return err
			}
			res, err := publish.Verify(args[0], card.Org, card.VerifyKey)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.env.stdout, "ok: %d file(s) and the signed manifest, %d case(s) (%s), signed by %q, fingerprint %s\n",
				res.Files, res.Cases, res.Output, res.Org, card.Fingerprint)
			return nil
		},
	}
	cmd.Flags().StringVar(&cardFile, "org", "", "the publishing organisation's card file")
	return cmd
}

// readCardForVerify reads and parses an organisation card file, reading
// at most one byte more than a card may have (ParseCard refuses that).
func readCardForVerify(path string) (*vault.Card, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("card file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, vault.MaxCardSize+1))
	if err != nil {
		return nil, fmt.Errorf("card file: %w", err)
	}
	card, err := vault.ParseCard(data)
	if err != nil {
		return nil, withCode(fmt.Errorf("%s: %w", path, err), exitInvalid, "")
	}
	return card, nil
}
