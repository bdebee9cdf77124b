package main

import (
	"errors"
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// errCheckFailed is returned by check when problems remain.
var errCheckFailed = errors.New("check found problems")

func newCheckCmd(g *globals) *cobra.Command {
	var o vault.CheckOptions
	cmd := &cobra.Command{
		Use:   "check [--read-data] [--repair]",
		Short: "Verify that every record opens, evidence is complete and indexes agree",
		Long: `Verify the whole vault: every case key, revision and evidence record opens;
every case's current revision validates and is the newest one the audit log
records (a removed newest revision is reported as a rollback); the audit
chain verifies; every evidence file is present, complete and made for its
item (with --read-data every file is re-read and re-hashed); the list
summaries, search index and evidence index agree with the records; nothing is
orphaned (evidence files without metadata, temporary files of an interrupted
add, index entries or records of cases that no longer exist).

Each problem is printed on standard output with the case or evidence ID it
concerns. With --repair, orphans are removed and indexes rebuilt (recorded
in the audit log as check.repair); a record that opens is never deleted.
The exit status is 8 if problems remain.`,
		Example: `  casevault check
  casevault check --read-data
  casevault check --repair --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Without --repair nothing is written: a damaged store is
			// opened for reading only, so that check cannot change it.
			open := g.openVaultReadOnly
			if o.Repair {
				open = g.openVault
			}
			v, err := open()
			if err != nil {
				return err
			}
			defer v.Close()
			noteOldIndex(g, v) // not compared with the cases: rebuilt at the next change
			var bar *progress
			if o.ReadData {
				bar = newProgressIfLarge(g, v.EvidenceBytes(), "reading evidence")
				o.Progress = bar
			}
			rep, err := v.Check(cmd.Context(), o)
			bar.done()
			if err != nil {
				return err
			}
			if g.json {
				if err := g.printJSON(rep); err != nil {
					return err
				}
			} else {
				for _, p := range rep.Problems {
					// File names in blobs/ are whatever is on the disk.
					fmt.Fprintln(g.env.stdout, plain(p.String()))
				}
				read := ""
				if o.ReadData {
					read = fmt.Sprintf(", %s of evidence re-read", humanSize(rep.EvidenceBytes))
				}
				g.infof("checked %d cases, %d revisions, %d evidence files, %d audit entries%s",
					rep.Cases, rep.Revisions, rep.Evidence, rep.AuditEntries, read)
			}
			printSetAside(g, rep.SetAside)
			left := rep.Unrepaired()
			repairable := 0
			for _, p := range rep.Problems {
				if p.Repairable && !p.Repaired {
					repairable++
				}
			}
			switch {
			case left == 0 && len(rep.Problems) == 0:
				if !g.json {
					g.infof("no problems found")
				}
				return nil
			case left == 0:
				if !g.json {
					g.infof("repaired %d problems", len(rep.Problems))
				}
				return nil
			case repairable == left:
				return withCode(fmt.Errorf("%w: %d, all repairable", errCheckFailed, left), exitDamaged,
					"run 'casevault check --repair' to remove the orphans and rebuild the indexes")
			default:
				return withCode(fmt.Errorf("%w: %d (%d repairable)", errCheckFailed, left, repairable), exitDamaged,
					"damaged or rolled-back records cannot be repaired here: restore them from a backup")
			}
		},
	}
	cmd.Flags().BoolVar(&o.ReadData, "read-data", false, "re-read and re-hash every evidence file")
	cmd.Flags().BoolVar(&o.Repair, "repair", false, "remove orphans and rebuild indexes")
	return cmd
}
