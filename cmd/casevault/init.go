package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

type initOptions struct {
	org     string
	classic bool
}

func newInitCmd(g *globals) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init --org NAME",
		Short: "Create a new vault and the organisation's keys",
		Long: `Create a vault: the organisation's age identity (post-quantum hybrid by
default), its Ed25519 signing key, and a random master key, all protected by a
passphrase asked twice on the terminal (or read from $CASEVAULT_PASSPHRASE_FILE).`,
		Example: `  casevault init --org "Memorial Defence Group"
  casevault --vault /media/usb/vault init --org OVD --classic
  casevault init --org OVD --identity key.txt   # adopt an age-keygen identity file`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "org"); err != nil {
				return err
			}
			return runInit(g, o)
		},
	}
	cmd.Flags().StringVar(&o.org, "org", "", "organisation name (required)")
	cmd.Flags().BoolVar(&o.classic, "classic", false, "use a classic X25519 age key instead of the post-quantum hybrid")
	return cmd
}

func runInit(g *globals, o initOptions) error {
	dir, err := g.resolveVaultDir()
	if err != nil {
		return err
	}
	idFile := g.identity // init --identity FILE adopts that age identity
	if idFile != "" && o.classic {
		return usagef("--classic and --identity cannot be used together: the identity file decides the key type")
	}
	var ident []byte
	if idFile != "" {
		g.warnIfReadableByOthers(idFile, "identity file")
		ident, err = readIdentityFile(idFile)
		if err != nil {
			return err
		}
		defer crypto.Wipe(ident)
	}
	if err := checkInitDir(dir); err != nil {
		return err
	}
	if strings.TrimSpace(o.org) != "" { // an empty one is refused by vault.Init as before
		if err := vault.CheckNewOrg(o.org); err != nil {
			return err // before the passphrase is asked for
		}
	}
	pass, err := g.passphrase("new passphrase for the vault: ", true)
	if err != nil {
		return err
	}
	if err := vault.CheckPassphraseStrength(pass, o.org); err != nil {
		crypto.Wipe(pass)
		return err
	}
	opts := g.options()
	v, err := vault.Init(dir, vault.InitOptions{Org: o.org, Classic: o.classic, Identity: ident, Passphrase: pass, Options: opts})
	if err != nil {
		return err
	}
	defer v.Close()
	m := v.Meta()
	if g.json {
		return g.printJSON(map[string]any{"vault": dir, "org": m.Org, "recipient": m.Recipient, "post_quantum": v.Identity().PostQuantum()})
	}
	g.infof("created vault for %q in %s", m.Org, dir)
	kind := "post-quantum hybrid (ML-KEM-768 + X25519)"
	if !v.Identity().PostQuantum() {
		kind = "classic X25519"
	}
	g.infof("organisation key: %s", kind)
	g.infof("keep the passphrase safe: without it (or the identity) the vault cannot be opened")
	return nil
}

// maxIdentityFile bounds what is read from an identity file given to init.
const maxIdentityFile = 64 << 10

// readIdentityFile reads and checks an age identity file, naming the file
// (never its content) in errors.
func readIdentityFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	if err != nil {
		return nil, fmt.Errorf("identity file %s: %w", path, err)
	}
	if len(b) > maxIdentityFile {
		return nil, fmt.Errorf("identity file %s: larger than %d KiB; an age identity file is a few lines", path, maxIdentityFile>>10)
	}
	if _, err := crypto.ParseIdentity(b); err != nil {
		crypto.Wipe(b)
		return nil, fmt.Errorf("identity file %s: %w", path, err)
	}
	return b, nil
}

// checkInitDir refuses a directory that exists and is not empty, before
// the passphrase is asked.
func checkInitDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err == nil && len(ents) > 0 {
		return fmt.Errorf("%s: %w", dir, vault.ErrVaultExists)
	}
	return nil
}
