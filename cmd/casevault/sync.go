package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newSyncCmd(g *globals) *cobra.Command {
	var full, compact bool
	cmd := &cobra.Command{
		Use:   "sync [REMOTE]",
		Short: "Exchange cases and evidence with the other copies of this vault through an object store",
		Long: `Download what other copies of this vault (colleagues' laptops opened with the
same master key) put in the remote since the last sync, check and apply it;
then upload what changed here. Everything is sealed here before it leaves.

A case changed on two copies since they last synced keeps both revisions:
this copy's stays current, the other's is kept beside it as a conflict
(listed in the output) to be merged by hand with 'casevault case update'.

A sync that is killed, loses its connection or meets a restarted server leaves
both sides consistent: run it again to complete it. Objects in the store that
do not open under this vault's keys (planted or altered) are refused and
named; the rest is synced, and the command exits with status 8.

Evidence received from other copies stays in the store until read:
'casevault evidence get' fetches and verifies it.

With --compact, after a full sync, packs in the store that hold records of
removed cases beside live ones, and packs written by older versions, are
rewritten without the removed cases and the old packs deleted, so that
nothing in the store opens to recover a removed case (its tombstone apart).
Run it after 'casevault case rm' and a sync, on any copy whose remote is not
re-keyed (before 'casevault purge' on the purging copy). A compaction that is
killed is completed by the next one.`,
		Example: `  casevault sync
  casevault sync office --json
  casevault case rm 01HX5K2M && casevault sync && casevault sync --compact`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			var bar *progress
			hooks := vault.SyncHooks{Full: full, Progress: func(step string, done, total int) {
				if bar == nil && total > 100 {
					bar = newProgress(g, int64(total), step)
				}
				if bar != nil {
					bar.set(int64(done))
				}
			}}
			if compact {
				crep, err := v.Compact(cmd.Context(), name, vault.CompactHooks{SyncHooks: hooks})
				if bar != nil {
					bar.done()
				}
				return printCompact(g, crep, err)
			}
			rep, err := v.Sync(cmd.Context(), name, hooks)
			if bar != nil {
				bar.done()
			}
			if rep != nil {
				if g.json {
					if perr := g.printJSON(rep); perr != nil {
						return perr
					}
				} else {
					fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("sync with %s: %d cases uploaded (%d packs, %d files), %d cases changed here, %d evidence items received",
						plain(rep.Remote), rep.CasesUp, rep.PacksUp, rep.BlobsUp, rep.CasesDown, rep.EvidenceDown)))
					for _, c := range rep.Conflicts {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("conflict: case %s was changed on another copy too; its revision is kept beside this one", c)))
					}
					for _, c := range rep.Removed {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("removed: case %s was removed on another copy; removed here too", c)))
					}
					for _, d := range rep.Held {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("held back: %s, which the copy that removed the case did not have, is kept here apart from the cases", d)))
					}
					if len(rep.Held) > 0 {
						fmt.Fprintln(g.env.stderr, g.tr("see it with 'casevault held list'; 'casevault held restore ID' makes a new case of it, 'casevault held drop ID' deletes it"))
					}
					for _, d := range rep.Discarded {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("discarded: %s, which the copy that removed the case did not have, was deleted here with it", d)))
					}
					for _, c := range rep.PurgesSent {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("purge sent: case %s, purged here, is removed by the other copies at their next sync", c)))
					}
					for _, o := range rep.Waiting {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("waiting: pack %s changes a case whose first revisions have not arrived; read again at the next sync", plain(o))))
					}
					for _, o := range rep.Refused {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("refused: object %s", plain(o))))
					}
				}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&compact, "compact", false, "after a full sync, rewrite the packs that hold removed cases beside live ones (or were written by older versions) without them, and delete the old packs")
	cmd.Flags().BoolVar(&full, "full", false, "list every object in the store and look at every case, not only what is new since the last sync (for copies of older casevault versions)")
	return cmd
}
