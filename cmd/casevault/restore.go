package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newRestoreCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE --vault DIR",
		Short: "Rebuild a vault from a backup file",
		Long: `Rebuild a working vault in DIR (which must not exist or be empty) from a
backup made by 'casevault backup'. The backup is opened with the passphrase of
the vault it was made of (asked on the terminal or read from
$CASEVAULT_PASSPHRASE_FILE), or with --identity FILE.

The restored vault is then opened and checked against the backup's manifest:
every case and revision must open, every evidence file be there, and the audit
chain verify up to the entry the backup ended at. If anything fails, nothing
is left in DIR. A backup is untrusted input: sizes and names are bounded.`,
		Example: `  casevault restore /media/usb/vault-2026-11-26.cvbak --vault ~/casevault-restored
  casevault restore backup.cvbak --vault ./v --identity org-key.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.vaultDir == "" {
				return usagef("say where to restore with --vault DIR")
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			bar := newProgress(g, st.Size(), "restore")
			r := bufio.NewReaderSize(io.TeeReader(f, bar), 1<<20)
			u := g.unlockSource(g.vaultDir)
			if u.Passphrase != nil {
				u.Passphrase = func() ([]byte, error) { return g.passphrase("passphrase of the backed-up vault: ", false) }
			}
			m, err := vault.Restore(r, g.vaultDir, u, g.options())
			bar.done()
			if err != nil {
				return fmt.Errorf("restore from %s: %w", args[0], err)
			}
			if g.json {
				return g.printJSON(m)
			}
			g.infof("restored %d cases (%d revisions, %d evidence files, %d audit entries) of %q into %s; checked",
				m.Cases, m.Revisions, m.EvidenceFile, m.AuditHead.Seq, m.Org, g.vaultDir)
			return nil
		},
	}
	return cmd
}
