package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newBundleSendCmd(g *globals) *cobra.Command {
	var to, remote string
	var cases []string
	cmd := &cobra.Command{
		Use:   "send --to ORG --remote NAME [--case ID…]",
		Short: "Put a bundle for a partner in its inbox in a shared bucket",
		Long: `Export a bundle of the cases shared with ORG (as 'bundle export': encrypted to
the partner, signed by this organisation) and leave it in the partner's inbox
on the remote: the prefix inbox/<hash of the partner's verify key>/ of a
bucket both can reach. The partner collects it with 'casevault bundle
receive'. No other channel is needed; the store's operator sees an object of
that size appear in that inbox.`,
		Example: `  casevault bundle send --to "Beta Rights" --remote coalition
  casevault bundle send --to "Beta Rights" --remote coalition --case c7k2m9xq4a5b6c7d8`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" || remote == "" {
				return usagef("--to ORG and --remote NAME are required")
			}
			refs, err := parseCaseRefs(cases)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			ids, err := resolveCaseRefs(v, refs)
			if err != nil {
				return err
			}
			if to, err = v.ResolveOrg(to); err != nil {
				return err
			}
			res, err := v.SendBundle(cmd.Context(), remote, vault.ExportBundleOptions{To: to, Cases: ids})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintln(g.env.stdout, res.BundleID)
			g.infof("sent bundle %s to the inbox of %q on %s: %d case(s), %d evidence file(s), %d bytes", res.BundleID, res.Org, res.Remote, len(res.Cases), len(res.Evidence), res.Size)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "receiving partner organisation")
	cmd.Flags().StringVar(&remote, "remote", "", "the shared bucket (a remote added with 'casevault remote add')")
	cmd.Flags().StringSliceVar(&cases, "case", nil, "only this shared case (repeat or comma-separate for several)")
	return cmd
}
