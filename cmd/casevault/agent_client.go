package main

import (
	"errors"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/agent"
)

// agentSocket returns the unlock agent's socket path for the vault in dir;
// create makes the private runtime directory if needed.
func (g *globals) agentSocket(dir string, create bool) (string, error) {
	rt, err := agent.RuntimeDir(g.env.getenv("XDG_RUNTIME_DIR"), create)
	if err != nil {
		return "", err
	}
	return agent.Socket(rt, dir)
}

// agentSecret asks a running unlock agent for what it holds for the vault
// in dir: an identity, or a plugin member's session (vault.AgentSecret).
// It returns nil when there is none (quickly: no runtime directory or no
// socket means no connection attempt), and warns when an agent is there
// but does not answer properly.
func (g *globals) agentSecret(dir string) []byte {
	sock, err := g.agentSocket(dir, false)
	if err != nil {
		return nil
	}
	s, err := agent.Secret(sock)
	if err != nil {
		if !errors.Is(err, agent.ErrNoAgent) {
			g.warnf("unlock agent: %v; asking for the passphrase instead", err)
		}
		return nil
	}
	return s
}

// openVaultNoAgent opens the vault without asking the unlock agent: for
// commands that must prove the passphrase anew (passwd), so that whoever
// finds an unlocked session cannot change it.
func (g *globals) openVaultNoAgent() (*vault.Vault, error) {
	dir, err := g.resolveVaultDir()
	if err != nil {
		return nil, err
	}
	if err := vault.CheckFormat(dir); err != nil {
		return nil, err
	}
	u := vault.Unlock{Passphrase: func() ([]byte, error) { return g.passphrase("current passphrase: ", false) }}
	if f := g.identityFile(); f != "" {
		g.warnIfReadableByOthers(f, "identity file")
		u = vault.Unlock{IdentityFile: f}
	}
	v, err := vault.Open(dir, u, g.options())
	warnSetAside(g, v)
	return v, err
}
