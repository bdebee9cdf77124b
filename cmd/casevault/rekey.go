package main

import (
	"github.com/spf13/cobra"
)

func newRekeyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rekey",
		Short: "Rotate the master key and every key derived from it",
		Long: `Rotate the vault's master key: every record is copied into a new store under
keys derived from a new master key (case data keys re-wrapped, the search
index rebuilt, Badger's encryption key changed), master.age is replaced and
its old blocks overwritten, and the old store is shredded. Copies of records
that the old store still held after 'case rm' become unreadable.

The passphrase and the organisation identity do not change (use 'casevault
passwd' for the passphrase). An interrupted rekey leaves the old vault, or the
new one, never a mix.`,
		Example: `  casevault rekey`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			st, err := v.Rekey(cmd.Context())
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"cases": st.Cases, "records": st.Records})
			}
			g.infof("master key rotated (%d cases, %d records re-keyed)", st.Cases, st.Records)
			return nil
		},
	}
}
