package main

import (
	"fmt"
	"os"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newRecoverySplitCmd(g *globals) *cobra.Command {
	var threshold int
	var to []string
	var out string
	cmd := &cobra.Command{
		Use:   "split --threshold K --to CARD... [-o DIR]",
		Short: "Split the organisation identity K-of-N among trustees (owner only)",
		Long: `Split the organisation identity among the trustees named by their staff
cards (one share each, in the order given); any K of them restore it. Each
share file (0600, never replacing a file) is encrypted to its trustee and
tagged with the vault, the split and the date. Give each trustee their file;
keep none. 'casevault rotate-identity' makes every split useless: split again
after one.`,
		Example: `  casevault recovery split --threshold 2 --to anna.card --to boris.card --to clara.card -o shares/`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(to) < 2 {
				return usagef("name at least two trustees with --to CARD")
			}
			if threshold < 2 || threshold > len(to) {
				return usagef("--threshold must be between 2 and the number of trustees (%d)", len(to))
			}
			var cards [][]byte
			for _, p := range to {
				b, err := readSmall(p, vault.MaxStaffCardSize)
				if err == nil {
					_, err = vault.ParseStaffCard(b)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				cards = append(cards, b)
			}
			if out == "" {
				out = "."
			}
			if st, err := os.Stat(out); err != nil || !st.IsDir() {
				return usagef("-o %s is not a directory", out)
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			res, err := v.RecoverySplit(vault.RecoverySplitOptions{Threshold: threshold, Trustees: cards, OutDir: out})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			for _, s := range res.Shares {
				fmt.Fprintf(g.env.stdout, "%s\t%s\t%s\n", s.Path, plain(s.Trustee), s.Fingerprint)
			}
			g.infof("split %s: any %d of these %d shares restore the organisation identity", res.Split, res.Threshold, len(res.Shares))
			g.infof("give each trustee their own file, and keep none of them here")
			return nil
		},
	}
	cmd.Flags().IntVar(&threshold, "threshold", 0, "number of shares needed to restore the identity (K)")
	cmd.Flags().StringArrayVar(&to, "to", nil, "a trustee's staff card (repeat for each trustee)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "directory for the share files (default: the current directory)")
	return cmd
}
