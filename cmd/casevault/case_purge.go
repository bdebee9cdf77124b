package main

import (
	"github.com/spf13/cobra"
)

func newCasePurgeCmd(g *globals) *cobra.Command {
	var yes bool
	var name string
	cmd := &cobra.Command{
		Use:   "purge ID",
		Short: "Remove a case so that it cannot be recovered, even with the passphrase",
		Long: `Remove a case, its revisions and its evidence files for good. The case's data
key is destroyed and the master key rotated: every remaining record is copied
into a new store under new keys, master.age is replaced and overwritten, and
the old store is shredded, so that a copy of the vault directory taken
afterwards cannot reveal the case even to someone who has the passphrase.

The audit log keeps an entry with the case ID and the hash of its last
revision, but no content. Earlier backups, bundles sent to partners and
published summaries are beyond purge's reach (see SECURITY.md, "Purge and
rekey"). Takes about as long as 'casevault rekey'.`,
		Example: `  casevault case purge c7k2m9xq4a5b6c7d8          # asks for confirmation
  casevault case purge --yes c7k2m9xq4a5b6c7d8    # in a script`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := caseRefOf(args, name)
			if err != nil {
				return err
			}
			if err := g.needYes(yes, "case purge"); err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			id, err := ref.resolve(v)
			if err != nil {
				return err
			}
			if err := g.confirmCase(v, yes, id, "purge (cannot be undone, not even from this vault's passphrase)"); err != nil {
				return err
			}
			st, err := v.Purge(cmd.Context(), id)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"purged": id.String(), "cases": st.Cases, "records": st.Records})
			}
			g.infof("purged case %s; master key rotated (%d cases, %d records re-keyed)", id, st.Cases, st.Records)
			if c := v.BackupChainState(); c != nil {
				g.warnf("links 1 to %d of backup chain %s (the last made %s) still hold the case: the next 'casevault backup' continues the chain without it, but a restore of the earlier links brings it back; to be rid of it, make a new chain with 'casevault backup --full' and destroy every file of the old one", c.Link, c.ID[:12], c.Created.UTC().Format("2006-01-02 15:04 MST"))
			} else {
				g.infof("backups made before this purge still hold the case: destroy them")
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (needed when standard input is not a terminal)")
	addCaseNameFlag(cmd, &name)
	return cmd
}
