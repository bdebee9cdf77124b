package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "backup -o FILE",
		Short: "Write the whole vault to one encrypted backup file",
		Long: `Write the whole vault (cases with every revision, evidence files, the audit
log, the organisation identity and master key as they are stored) to FILE,
encrypted with age to the organisation's own key. The backup is streamed to a
temporary file beside FILE and renamed when complete: an interrupted backup
leaves no FILE. A progress bar shows on a terminal.

Restore it with 'casevault restore FILE --vault DIR' using the vault's
passphrase or identity file. Keep backups as safe as the vault: whoever has a
backup and the passphrase has every case in it, including cases purged after
the backup was made.`,
		Example: `  casevault backup -o /media/usb/vault-2026-11-26.cvbak`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("no output file: use -o FILE")
			}
			if out == "-" {
				return usagef("backup writes to a file (-o FILE), not to standard output")
			}
			if !force {
				if err := checkNewFile(out); err != nil {
					return withCode(err, exitUsage, "use --force to replace an earlier backup")
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			bar := newProgress(g, v.BackupSizeHint(), "backup")
			m, err := v.BackupToFile(cmd.Context(), out, bar.set)
			bar.done()
			if err != nil {
				return fmt.Errorf("backup to %s: %w", out, err)
			}
			if g.json {
				return g.printJSON(m)
			}
			abs, aerr := filepath.Abs(out)
			if aerr != nil {
				abs = out
			}
			g.infof("backed up %d cases (%d revisions, %d evidence files, %d audit entries) to %s",
				m.Cases, m.Revisions, m.EvidenceFile, m.AuditHead.Seq, abs)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "backup file to write")
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}
