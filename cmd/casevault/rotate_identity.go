package main

import (
	"errors"
	"os"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/agent"
	"github.com/spf13/cobra"
)

type rotateOptions struct {
	classic, pq bool
	adopt       string
}

func newRotateIdentityCmd(g *globals) *cobra.Command {
	var o rotateOptions
	cmd := &cobra.Command{
		Use:   "rotate-identity",
		Short: "Replace the organisation's identity and master key (after a coerced passphrase)",
		Long: `Replace the organisation's identity: a new age key and Ed25519 signing key,
a new master key with every record re-sealed into a new store (as 'rekey'),
and identity.age replaced under a new passphrase, its old blocks overwritten.
Use it when the passphrase was forced out of someone or a copy of
identity.age may have been taken: 'passwd' and 'rekey' leave the identity
as it was, so an old identity.age with the old passphrase would still open
everything added later. After a rotation it opens nothing written since.

The current passphrase (or --identity) unlocks the vault, even while an
unlock agent runs (the agent is stopped); the new passphrase is asked twice,
or read from $CASEVAULT_NEW_PASSPHRASE_FILE. The new key is of the same kind
as the old one unless --classic or --pq says otherwise.

Partners must learn the new keys: send them the new card ('casevault org
card -o FILE'). It is signed by the old and the new key, and their 'org add
CARD' accepts it as an update of your organisation. Copies of the vault,
backups and bundles made before the rotation stay readable with the old key
and passphrase: see SECURITY.md, "Passphrase, rekey and identity rotation".`,
		Example: `  casevault rotate-identity
  casevault org card -o new-card.json     # send it to every partner
  casevault rotate-identity --adopt new-key.txt   # an age-keygen identity file`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runRotateIdentity(g, o) },
	}
	cmd.Flags().BoolVar(&o.classic, "classic", false, "make the new key a classic X25519 age key")
	cmd.Flags().BoolVar(&o.pq, "pq", false, "make the new key a post-quantum hybrid (ML-KEM-768 + X25519) age key")
	cmd.Flags().StringVar(&o.adopt, "adopt", "", "adopt this age identity file as the new identity instead of generating one")
	cmd.MarkFlagsMutuallyExclusive("classic", "pq", "adopt")
	return cmd
}

func runRotateIdentity(g *globals, o rotateOptions) error {
	dir, err := g.resolveVaultDir()
	if err != nil {
		return err
	}
	if err := vault.CheckFormat(dir); err != nil {
		return err
	}
	var ident []byte
	if o.adopt != "" {
		g.warnIfReadableByOthers(o.adopt, "identity file")
		if ident, err = readIdentityFile(o.adopt); err != nil {
			return err
		}
		defer crypto.Wipe(ident)
	}
	// Not the agent: whoever sits at an unlocked session must still know
	// the passphrase (or hold the identity file) to rotate.
	u := vault.Unlock{Passphrase: func() ([]byte, error) { return g.passphrase("current passphrase for the vault: ", false) }}
	if f := g.identityFile(); f != "" {
		u = vault.Unlock{IdentityFile: f}
	}
	v, err := vault.Open(dir, u, g.options())
	if err != nil {
		return err
	}
	warnSetAside(g, v)
	defer v.Close()
	pass, err := g.newPassphrase()
	if err != nil {
		return err
	}
	defer crypto.Wipe(pass)
	if err := vault.CheckPassphraseStrength(pass, v.Meta().Org); err != nil {
		return err
	}
	if err := v.CheckNewPassphrase(pass); err != nil {
		return err
	}
	res, err := v.RotateIdentity(vault.RotateOptions{Classic: o.classic, PostQuantum: o.pq, Identity: ident, Passphrase: pass})
	if res == nil {
		return err
	}
	// The agent holds the old identity, which opens nothing now.
	if sock, serr := g.agentSocket(dir, false); serr == nil {
		if lerr := agent.Lock(sock); lerr != nil && !errors.Is(lerr, agent.ErrNoAgent) && !errors.Is(lerr, os.ErrNotExist) {
			g.warnf("stopping the unlock agent: %v", lerr)
		}
	}
	if err != nil {
		g.warnf("%v", err)
	}
	if g.json {
		return g.printJSON(map[string]any{"old_fingerprint": res.OldFingerprint, "fingerprint": res.NewFingerprint,
			"post_quantum": res.PostQuantum, "cases": res.Stats.Cases, "records": res.Stats.Records})
	}
	g.infof("identity rotated: new fingerprint %s (was %s)", res.NewFingerprint, res.OldFingerprint)
	g.infof("master key rotated (%d cases, %d records re-keyed); the old identity.age was overwritten", res.Stats.Cases, res.Stats.Records)
	g.infof("send the new card to every partner: casevault org card -o card.json (they run 'casevault org add card.json')")
	return nil
}

// newPassphrase reads a new passphrase: from $CASEVAULT_NEW_PASSPHRASE_FILE,
// else asked twice on the terminal. With only $CASEVAULT_PASSPHRASE_FILE
// set it refuses, rather than reuse the current passphrase.
func (g *globals) newPassphrase() ([]byte, error) {
	if f := g.env.getenv("CASEVAULT_NEW_PASSPHRASE_FILE"); f != "" {
		return readPassphraseFile(f)
	}
	if g.env.getenv("CASEVAULT_PASSPHRASE_FILE") != "" {
		return nil, usagef("CASEVAULT_PASSPHRASE_FILE is set but CASEVAULT_NEW_PASSPHRASE_FILE is not: name a file with the new passphrase, or unset CASEVAULT_PASSPHRASE_FILE to be asked on the terminal")
	}
	return g.passphrase("new passphrase: ", true)
}
