package main

import (
	"bufio"
	"os"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newRecoveryCombineCmd(g *globals) *cobra.Command {
	var trustees []string
	var backup string
	cmd := &cobra.Command{
		Use:   "combine --vault DIR --trustee IDENTITY... SHARE... [--backup FILE]",
		Short: "Restore the organisation identity from K shares and set a new passphrase",
		Long: `Restore access to the vault in DIR from at least K share files of one split.
Each share is decrypted in memory with its trustee's own identity file
(--trustee, repeat for each); nothing secret is written but the new
identity.age. Shares of another vault or split, the same share twice, or an
altered share are refused. With --backup FILE the backup is first restored
into DIR (absent or empty) with the recovered identity: the way back on a new
machine. The new passphrase is asked twice, or read from
$CASEVAULT_NEW_PASSPHRASE_FILE.`,
		Example: `  casevault recovery combine --vault ./v --trustee anna.key --trustee clara.key share-a.casevault-share share-c.casevault-share
  casevault recovery combine --vault ./new --backup vault.cvbak --trustee anna.key --trustee clara.key share-*.casevault-share`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.vaultDir == "" {
				return usagef("say which vault with --vault DIR")
			}
			if len(trustees) == 0 {
				return usagef("give the trustees' identity files with --trustee FILE")
			}
			shares := map[string][]byte{}
			for _, p := range args {
				b, err := readSmall(p, 64<<10)
				if err != nil {
					return err
				}
				shares[p] = b
			}
			if len(shares) != len(args) {
				return usagef("a share file is named twice")
			}
			var ids []*crypto.Identity
			for _, p := range trustees {
				g.warnIfReadableByOthers(p, "identity file")
				id, err := vault.ReadIdentityFile(p)
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			var pass []byte
			var err error
			if f := g.env.getenv("CASEVAULT_NEW_PASSPHRASE_FILE"); f != "" {
				pass, err = readPassphraseFile(f)
			} else {
				pass, err = g.passphrase("new passphrase: ", true)
			}
			if err != nil {
				return err
			}
			defer crypto.Wipe(pass)
			if err := vault.CheckPassphraseStrength(pass, ""); err != nil {
				return err
			}
			o := vault.RecoveryCombineOptions{Shares: shares, Identities: ids, NewPassphrase: pass, Options: g.options()}
			if backup != "" {
				f, err := os.Open(backup)
				if err != nil {
					return err
				}
				defer f.Close()
				o.Backup = bufio.NewReaderSize(f, 1<<20)
			}
			res, err := vault.RecoveryCombine(cmd.Context(), g.vaultDir, o)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			g.infof("restored the identity of %q from %d shares of split %s; the vault in %s now opens with the new passphrase", res.Org, res.Shares, res.Split, g.vaultDir)
			g.infof("make a new split soon, and consider 'casevault rotate-identity' if a share may be in the wrong hands")
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&trustees, "trustee", nil, "a trustee's own age identity file (repeat for each)")
	cmd.Flags().StringVar(&backup, "backup", "", "restore this backup file into --vault DIR first")
	return cmd
}
