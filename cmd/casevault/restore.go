package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newRestoreCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE... --vault DIR",
		Short: "Rebuild a vault from a backup file or the files of a backup chain",
		Long: `Rebuild a working vault in DIR (which must not exist or be empty) from a
backup made by 'casevault backup'. Backups are links of a backup chain: give
every file of the chain from link 1 up to the link to restore to, in any order
(a shell glob will do). A gap, a file given twice, a file of another chain or
vault, or a link that was not made after the one before it is refused, naming
the files. Records deleted and cases purged before the last link given are
not restored. A backup of an earlier casevault (one file, no chain) restores
alone. The backup is opened with the passphrase of
the vault it was made of (asked on the terminal or read from
$CASEVAULT_PASSPHRASE_FILE), or with --identity FILE.

The restored vault is then opened and checked against the backup's manifest:
every case and revision must open, every evidence file be there, and the audit
chain verify up to the entry the backup ended at. If anything fails, nothing
is left in DIR. A backup is untrusted input: sizes and names are bounded. The
restore is recorded in the restored vault's audit log (vault.restore).`,
		Example: `  casevault restore /media/usb/vault-2026-11-26.cvbak --vault ~/casevault-restored
  casevault restore /media/usb/vault-*.cvbak --vault ~/casevault-restored   # a whole chain
  casevault restore backup.cvbak --vault ./v --identity org-key.txt`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.vaultDir == "" {
				return usagef("say where to restore with --vault DIR")
			}
			var total int64
			for _, a := range args {
				st, err := os.Stat(a)
				if err != nil {
					return err
				}
				if !st.Mode().IsRegular() {
					return usagef("%s is not a backup file", a)
				}
				total += st.Size()
			}
			bar := newProgress(g, total, "restore")
			srcs := make([]vault.BackupSource, len(args))
			for i, a := range args {
				fs := vault.FileSource(a)
				open := fs.Open
				fs.Open = func() (io.ReadCloser, error) {
					f, err := open()
					if err != nil {
						return nil, err
					}
					return readCloser{bufio.NewReaderSize(io.TeeReader(f, bar), 1<<20), f}, nil
				}
				srcs[i] = fs
			}
			u := g.unlockSource(g.vaultDir)
			if u.Passphrase != nil {
				u.Passphrase = func() ([]byte, error) { return g.passphrase("passphrase of the backed-up vault: ", false) }
			}
			m, err := vault.RestoreChain(cmd.Context(), srcs, g.vaultDir, u, g.options())
			bar.done()
			if err != nil {
				if len(args) == 1 {
					return fmt.Errorf("restore from %s: %w", args[0], err)
				}
				return fmt.Errorf("restore: %w", err)
			}
			if g.json {
				return g.printJSON(restoreJSON{BackupManifest: m, Witnesses: nonNilStrings(m.Witnesses),
					AgeSeconds: int64(time.Since(m.Created).Seconds())})
			}
			g.infof("restored %d cases (%d revisions, %d evidence files, %d audit entries) of %q into %s; checked",
				m.Cases, m.Revisions, m.EvidenceFile, m.AuditHead.Seq, m.Org, g.vaultDir)
			if c := m.Chain; c != nil {
				g.infof("from links 1 to %d of backup chain %s", c.Link, c.ID[:12])
			}
			for _, line := range restoreAgeNotes(m, time.Now()) {
				g.infof("%s", line)
			}
			return nil
		},
	}
	return cmd
}

// restoreJSON is the --json result of restore: the backup's manifest, the
// partners holding later audit heads, and the backup's age.
type restoreJSON struct {
	*vault.BackupManifest
	Witnesses  []string `json:"witnesses"`
	AgeSeconds int64    `json:"age_seconds"`
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// restoreAgeNotes says how old the restored state is and how to find out
// whether the log went further (issue 11: restore said nothing of a
// backup's age).
func restoreAgeNotes(m *vault.BackupManifest, now time.Time) []string {
	head := m.AuditHead.Hash
	if len(head) > 16 {
		head = head[:16]
	}
	lines := []string{fmt.Sprintf("the backup was made %s (%s); its audit log ends at entry %d (hash %s…): anything done after it is not in the restored vault",
		m.Created.UTC().Format("2006-01-02 15:04 MST"), agoText(now.Sub(m.Created)), m.AuditHead.Seq, head)}
	if len(m.Witnesses) > 0 {
		quoted := make([]string, len(m.Witnesses))
		for i, w := range m.Witnesses {
			quoted[i] = fmt.Sprintf("%q", w)
		}
		lines = append(lines, fmt.Sprintf("partners that received bundles hold later audit heads (%s): ask one for a witness file ('casevault audit witness --org %q' on their side) and run 'casevault audit verify --witness FILE' to see whether the log went further",
			strings.Join(quoted, ", "), m.Org))
	}
	return lines
}

func agoText(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future by this computer's clock"
	case d < time.Hour:
		return "less than an hour ago"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
}

// readCloser reads through r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
