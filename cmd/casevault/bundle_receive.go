package main

import (
	"errors"
	"fmt"
	"sort"

	"github.com/spf13/cobra"
)

func newBundleReceiveCmd(g *globals) *cobra.Command {
	var remote string
	cmd := &cobra.Command{
		Use:   "receive --remote NAME",
		Short: "Import the bundles partners left in this organisation's inbox",
		Long: `Import every bundle in this organisation's inbox on the remote that was not
received before, each checked as 'bundle import' checks a file (a known
sender, its signature, every hash). Each bundle is deleted from the inbox once
it is imported and recorded here. An object that is not a bundle (a foreign
name, more than 64 GiB) is refused without being downloaded; a bundle that is
refused is named and left for later; the command then exits with status 6.
Receiving again after an interruption finishes the work and imports nothing
twice.

The inbox belongs to the organisation's identity, not to the master key: it
keeps working after a rekey or 'casevault staff rm' (which stop 'casevault
sync' on that remote). After 'casevault rotate-identity' the inbox moves;
bundles partners still leave in the old one are encrypted to the old key and
are named once: send them the new card ('casevault org card').`,
		Example: `  casevault bundle receive --remote coalition
  casevault bundle receive --remote coalition --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if remote == "" {
				return usagef("--remote NAME is required")
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			res, err := v.ReceiveBundles(cmd.Context(), remote)
			if res != nil {
				if g.json {
					if perr := g.printJSON(res); perr != nil {
						return perr
					}
				} else {
					for _, r := range res.Imported {
						g.infof("imported bundle %s from %q: %d case(s)", r.BundleID, r.Org, len(r.Cases))
					}
					var names []string
					for n := range res.Refused {
						names = append(names, n)
					}
					sort.Strings(names)
					for _, n := range names {
						fmt.Fprintln(g.env.stderr, g.tr(fmt.Sprintf("refused: %s: %s", plain(n), plain(res.Refused[n]))))
					}
					for n, why := range res.NotRemoved {
						g.warnf("imported bundle %s stays in the inbox until the next receive: %s", plain(n), plain(why))
					}
				}
				if err == nil && len(res.Refused) > 0 {
					err = withCode(errors.New("some bundles in the inbox were refused"), exitInvalid, "'casevault org list' shows the known partners; ask the sender for a new bundle")
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&remote, "remote", "", "the shared bucket (a remote added with 'casevault remote add')")
	return cmd
}
