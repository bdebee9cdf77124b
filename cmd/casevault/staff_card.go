package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newStaffCardCmd(g *globals) *cobra.Command {
	var out, name string
	cmd := &cobra.Command{
		Use:   "card --identity FILE --name NAME [-o FILE]",
		Short: "Write your own staff card, signed with your identity",
		Long: `Write the staff card of your own age identity (classic or post-quantum, as
made by age-keygen, or an age plugin identity such as a hardware token's,
with its recipient in a comment line): your name, age recipient and Ed25519
key, signed. For a plugin identity a new signing key is made, sealed to
the plugin recipient, and carried in the card. No vault is opened. Hand
the card to the vault's owner, who adds it with 'casevault staff add', and
read them the fingerprint.`,
		Example: `  age-keygen -o ~/my-key.txt
  casevault staff card --identity ~/my-key.txt --name "Anna K" -o anna.card`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			idFile := g.identity
			if idFile == "" {
				idFile = g.env.getenv("CASEVAULT_IDENTITY")
			}
			if idFile == "" {
				return usagef("give your own identity file with --identity FILE")
			}
			if name == "" {
				return usagef("give your name with --name NAME")
			}
			if out != "" {
				if err := checkNewFile(out); err != nil {
					return err
				}
			}
			g.warnIfReadableByOthers(idFile, "identity file")
			id, err := vault.ReadMemberIdentityFile(idFile, g.pluginUI())
			if err != nil {
				return err
			}
			card, err := vault.StaffCard(id, name)
			if err != nil {
				return withCode(err, exitUsage, "")
			}
			c, err := vault.ParseStaffCard(card)
			if err != nil {
				return err
			}
			if out == "" {
				_, err = g.env.stdout.Write(card)
				return err
			}
			if err := writeNewFile(out, card); err != nil {
				return err
			}
			g.infof("wrote the staff card of %q to %s", c.Name, out)
			g.infof("fingerprint: %s", c.Fingerprint)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "your name as colleagues know it")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the card to FILE (must not exist) instead of standard output")
	return cmd
}
