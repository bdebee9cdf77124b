package main

import (
	"github.com/spf13/cobra"
)

func newAuditWitnessCmd(g *globals) *cobra.Command {
	var org, out string
	cmd := &cobra.Command{
		Use:   "witness --org ORG [-o FILE]",
		Short: "Export the audit heads we hold from a partner, for it to verify",
		Long: `Every bundle a partner sends us carries the head of its audit log, and the
import keeps it. This command exports those heads as a JSON file signed with
our organisation key. The partner checks it with 'casevault audit verify
--witness FILE': any entry we saw that is now missing or different proves
that its history was rewritten after we saw it. The export is recorded in our
audit log.`,
		Example: `  casevault audit witness --org "Memorial Defence Group" -o memorial-witness.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if org == "" {
				return usagef("--org is required: the partner organisation whose heads to export")
			}
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
			b, err := v.ExportWitness(org)
			if err != nil {
				return err
			}
			if out == "" {
				_, err = g.env.stdout.Write(b)
				return err
			}
			if err := writeNewFile(out, b); err != nil {
				return err
			}
			g.infof("wrote the audit heads of %q to %s", org, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "partner organisation (as named in this vault)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE (must not exist) instead of standard output")
	return cmd
}
