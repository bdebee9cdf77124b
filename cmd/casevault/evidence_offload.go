package main

import (
	"fmt"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newEvidenceOffloadCmd(g *globals) *cobra.Command {
	var remote string
	var olderThan time.Duration
	cmd := &cobra.Command{
		Use:   "offload EVID...|--older-than DURATION [--remote NAME]",
		Short: "Keep evidence files only in the object store",
		Long: `Upload evidence files to a remote (sealed again under this vault's keys, at a
random name), verify the upload by hash, record where each is, and only then
remove the local file. 'casevault evidence get' fetches, verifies and streams
an offloaded item as it does a local one.`,
		Example: `  casevault evidence offload e3xq4a5b6c7dak2mz
  casevault evidence offload --older-than 2160h --remote office`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && olderThan <= 0 {
				return usagef("name evidence IDs or give --older-than DURATION")
			}
			if len(args) > 0 && olderThan > 0 {
				return usagef("give evidence IDs or --older-than, not both")
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			var ids []vault.EvidenceID
			for _, a := range args {
				ref, err := parseEvidenceRef(a)
				if err != nil {
					return err
				}
				e, err := ref.resolve(v)
				if err != nil {
					return err
				}
				ids = append(ids, e)
			}
			res, err := v.OffloadEvidence(cmd.Context(), remote, ids, olderThan)
			if g.json && res != nil {
				if perr := g.printJSON(res); perr != nil {
					return perr
				}
			} else {
				for _, r := range res {
					what := "offloaded"
					if r.Already {
						what = "already offloaded"
					}
					fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("%s %s (%s)", what, r.Evidence, humanSize(r.Size))))
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&remote, "remote", "", "the remote to keep the files on (needed when the vault has several)")
	cmd.Flags().DurationVar(&olderThan, "older-than", 0, "offload every item added longer ago than this (such as 2160h)")
	return cmd
}
