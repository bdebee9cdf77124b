package main

import (
	"github.com/spf13/cobra"
)

func newRecoveryCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "recovery",
		Short: "Split the organisation identity among trustees, and restore it from their shares",
		Long: `A lost passphrase would lose the vault. 'recovery split' (owner only) splits
the organisation identity K-of-N with Shamir's secret sharing: each trustee
gets one share file, encrypted to their own age identity and signed by the
organisation. Fewer than K shares reveal nothing. 'recovery combine' restores
the identity from K shares (decrypted in memory with the trustees' own
identity files, never written in plaintext) and sets a new passphrase.
Trustees make their card with 'casevault staff card'.`,
		Example: `  casevault recovery split --threshold 2 --to anna.card --to boris.card --to clara.card -o shares/
  casevault recovery combine --vault ./v --trustee anna.key --trustee clara.key share-…-1-of-3-Anna.casevault-share share-…-3-of-3-Clara.casevault-share`,
	}
	for _, add := range []func(*globals) *cobra.Command{newRecoverySplitCmd, newRecoveryCombineCmd} {
		cmd.AddCommand(add(g))
	}
	return cmd
}
