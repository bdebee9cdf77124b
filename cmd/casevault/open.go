package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"golang.org/x/term"
)

// vaultDir resolves the vault directory: --vault, $CASEVAULT_DIR, then the
// XDG data directory.
func (g *globals) resolveVaultDir() (string, error) {
	if g.vaultDir != "" {
		return g.vaultDir, nil
	}
	if d := g.env.getenv("CASEVAULT_DIR"); d != "" {
		return d, nil
	}
	if d := g.env.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "casevault"), nil
	}
	if d := platformDataDir(g.env.getenv); d != "" {
		return d, nil
	}
	home := g.env.getenv("HOME")
	if home == "" {
		return "", errors.New("cannot find the vault: no --vault, CASEVAULT_DIR, XDG_DATA_HOME or HOME")
	}
	return filepath.Join(home, ".local", "share", "casevault"), nil
}

func (g *globals) options() vault.Options {
	a := g.author
	if a == "" {
		a = g.env.getenv("CASEVAULT_AUTHOR")
	}
	return vault.Options{Author: a, Wait: g.wait, Context: g.ctx, Notify: g.notef}
}

// unlockSource says how this command will unlock the vault: an identity
// file, the agent, then a passphrase (file or terminal).
func (g *globals) unlockSource(dir string) vault.Unlock {
	idFile := g.identity
	if idFile == "" {
		idFile = g.env.getenv("CASEVAULT_IDENTITY")
	}
	if idFile != "" {
		g.warnIfReadableByOthers(idFile, "identity file")
		return vault.Unlock{IdentityFile: idFile, PluginUI: g.pluginUI()}
	}
	if s := g.agentSecret(dir); s != nil {
		return vault.Unlock{AgentSecret: s}
	}
	return vault.Unlock{Passphrase: func() ([]byte, error) { return g.passphrase("passphrase for the vault: ", false) }}
}

// openVaultReadOnly opens and unlocks the vault for a command that only
// reads (list, search, show, history, export): the store opens and closes
// faster and runs no background compaction.
func (g *globals) openVaultReadOnly() (*vault.Vault, error) {
	return g.openVaultWith(func(o *vault.Options) { o.ReadOnly = true })
}

// openVault opens and unlocks the vault for a command.
func (g *globals) openVault() (*vault.Vault, error) {
	return g.openVaultWith(nil)
}

// openVaultWith opens and unlocks the vault with the command's options,
// changed by set when set is not nil.
func (g *globals) openVaultWith(set func(*vault.Options)) (*vault.Vault, error) {
	dir, err := g.resolveVaultDir()
	if err != nil {
		return nil, err
	}
	if err := vault.CheckFormat(dir); err != nil {
		return nil, err
	}
	o := g.options()
	if set != nil {
		set(&o)
	}
	v, err := vault.Open(dir, g.unlockSource(dir), o)
	warnSetAside(g, v)
	return v, err
}

// noteOldIndex tells, on stderr, that a read-only command answers by
// opening every case because the vault's search index is of an earlier
// format (search, list, stats).
func noteOldIndex(g *globals, v *vault.Vault) {
	if n := v.IndexNotice(); n != "" {
		g.notef(n)
	}
}

// maxPassphraseFile bounds what is read from CASEVAULT_PASSPHRASE_FILE.
const maxPassphraseFile = 4096

// passphrase reads a passphrase from $CASEVAULT_PASSPHRASE_FILE (its first
// line) or from the terminal without echo; confirm asks twice.
func (g *globals) passphrase(prompt string, confirm bool) ([]byte, error) {
	if path := g.env.getenv("CASEVAULT_PASSPHRASE_FILE"); path != "" {
		return readPassphraseFile(path)
	}
	tty, ttyOut, err := openTerminal() // per platform: terminal_*.go
	if err != nil {
		return nil, withCode(errors.New("no terminal to ask for the passphrase"), exitAuth,
			"set CASEVAULT_PASSPHRASE_FILE to a file (mode 0600) holding the passphrase, or use --identity FILE")
	}
	defer tty.Close()
	defer ttyOut.Close()
	if !term.IsTerminal(int(tty.Fd())) {
		return nil, withCode(errors.New("no terminal to ask for the passphrase"), exitAuth, "set CASEVAULT_PASSPHRASE_FILE")
	}
	read := func(p string) ([]byte, error) {
		fmt.Fprint(ttyOut, p)
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(ttyOut)
		return b, err
	}
	p1, err := read(prompt)
	if err != nil {
		return nil, err
	}
	if len(p1) == 0 {
		return nil, withCode(errors.New("empty passphrase"), exitAuth, "")
	}
	if confirm {
		p2, err := read("repeat the passphrase: ")
		if err != nil {
			crypto.Wipe(p1)
			return nil, err
		}
		same := crypto.Equal(p1, p2)
		crypto.Wipe(p2)
		if !same {
			crypto.Wipe(p1)
			return nil, withCode(errors.New("the passphrases do not match"), exitAuth, "")
		}
	}
	return p1, nil
}

// warnIfReadableByOthers warns when a file holding a secret can be read
// by the group or by others.
func (g *globals) warnIfReadableByOthers(path, what string) {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		g.warnf("%s %s can be read by other users (mode %04o): run 'chmod 600 %s'", what, path, st.Mode().Perm(), path)
	}
}

// readPassphraseFile returns the first line of a passphrase file (at most
// maxPassphraseFile bytes are read). A file that other users can read is
// refused (checkPrivateFile).
func readPassphraseFile(path string) ([]byte, error) {
	f, err := openSecretFile(path)
	if err != nil {
		var pe *os.PathError
		if !errors.As(err, &pe) {
			err = fmt.Errorf("%s %w", path, err)
		}
		return nil, withCode(fmt.Errorf("passphrase file (CASEVAULT_PASSPHRASE_FILE): %w", err), exitAuth, "")
	}
	defer f.Close()
	if err := checkPrivateFile(f); err != nil {
		return nil, withCode(fmt.Errorf("passphrase file %s: %w", path, err), exitAuth, "run 'chmod 600 "+path+"' (and consider the passphrase seen: other users could read it)")
	}
	r := bufio.NewReader(io.LimitReader(f, maxPassphraseFile))
	line, err := r.ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return nil, withCode(fmt.Errorf("passphrase file %s is empty", path), exitAuth, "")
	}
	return line, nil
}

// caseVault parses a case ID argument, then opens the vault (read-only
// for a command that only reads): a malformed ID is refused before any
// passphrase is asked for. The caller closes the vault.
// The argument may be a unique prefix of the ID (caseRef).
func (g *globals) caseVault(arg string, readOnly bool) (vault.CaseID, *vault.Vault, error) {
	return g.caseVaultBy([]string{arg}, "", readOnly)
}

// evidenceVault is caseVault for an evidence ID argument.
func (g *globals) evidenceVault(arg string, readOnly bool) (vault.EvidenceID, *vault.Vault, error) {
	ref, err := parseEvidenceRef(arg)
	if err != nil {
		return vault.EvidenceID{}, nil, err
	}
	v, err := g.open(readOnly)
	if err != nil {
		return vault.EvidenceID{}, nil, err
	}
	e, err := ref.resolve(v)
	if err != nil {
		v.Close()
		return e, nil, err
	}
	return e, v, nil
}

func (g *globals) open(readOnly bool) (*vault.Vault, error) {
	if readOnly {
		return g.openVaultReadOnly()
	}
	return g.openVault()
}
