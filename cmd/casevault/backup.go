package main

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/casevault/casevault/vault"

	"github.com/spf13/cobra"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	var force, full bool
	cmd := &cobra.Command{
		Use:   "backup -o FILE [--full]",
		Short: "Write the next link of the vault's backup chain (only what changed) to an encrypted file",
		Long: `Backups are incremental: each backup file is a link of a backup chain and
holds only what changed since the link before it (records added, changed or
deleted, and evidence files not already in the chain). The first backup of a
vault, and every 'backup --full', starts a new chain with a file holding the
whole vault (cases with every revision, evidence files, the audit log, the
organisation identity and master key as they are stored). After a rekey or a
purge the next link holds the whole store again (but not the evidence files
already in the chain).

Every file is encrypted with age to the organisation's own key and signed
with it. It is streamed to a temporary file beside FILE and renamed when
complete: an interrupted backup leaves no FILE (and the next backup writes the
same link again). Each backup is recorded in the audit log (vault.backup). A
progress bar shows on a terminal.

Restore with 'casevault restore FILE... --vault DIR', giving every file of the
chain from link 1. Keep all links of a chain: without one, the later links
cannot be restored. Keep backups as safe as the vault: whoever has a backup
and the passphrase has every case in it, including cases purged after the
backup was made (older links of a chain keep them too).`,
		Example: `  casevault backup -o /media/usb/vault-2026-11-26.cvbak          # the next link
  casevault backup --full -o /media/usb/vault-full-2026-12.cvbak  # a new chain`,
		Args: cobra.NoArgs,
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
			rep, err := v.BackupLink(cmd.Context(), out, vault.BackupOptions{Full: full}, bar.set)
			bar.done()
			if err != nil {
				return fmt.Errorf("backup to %s: %w", out, err)
			}
			if g.json {
				return g.printJSON(rep)
			}
			abs, aerr := filepath.Abs(out)
			if aerr != nil {
				abs = out
			}
			m, c := rep.Manifest, rep.Manifest.Chain
			g.infof("backed up %d cases (%d revisions, %d evidence files, %d audit entries) to %s",
				m.Cases, m.Revisions, m.EvidenceFile, m.AuditHead.Seq, abs)
			if c.Link == 1 {
				g.infof("link 1 of a new backup chain %s (%s): the whole vault, %s", c.ID[:12], rep.NewChain, byteSize(rep.Size))
			} else {
				what := "only what changed since link " + strconv.Itoa(c.Link-1)
				if c.Store == vault.BackupStoreFull {
					what = "the whole store (" + rep.StoreNote + ")"
				}
				g.infof("link %d of backup chain %s: %s, %d new evidence files, %s; restore needs links 1 to %d", c.Link, c.ID[:12], what, rep.BlobsWritten, byteSize(rep.Size), c.Link)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "backup file to write")
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists (never an earlier link of the chain: the links after it could no longer be restored)")
	cmd.Flags().BoolVar(&full, "full", false, "start a new backup chain: FILE holds the whole vault")
	return cmd
}

// byteSize writes a size in bytes for people: "812 bytes", "3.4 MB".
func byteSize(n int64) string {
	switch {
	case n < 10_000:
		return fmt.Sprintf("%d bytes", n)
	case n < 10_000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
