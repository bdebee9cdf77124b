package main

import (
	"os"
	"strings"
	"sync"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault"
	"github.com/rogpeppe/go-internal/testscript"
)

// Custom testscript commands for the core scripts.

// cmdAgeKeygen writes a new age identity file in the layout age-keygen
// uses: agekeygen [-pq] FILE.
func cmdAgeKeygen(ts *testscript.TestScript, neg bool, args []string) {
	pq := len(args) == 2 && args[0] == "-pq"
	if neg || len(args) != 1 && !pq {
		ts.Fatalf("usage: agekeygen [-pq] FILE")
	}
	id, err := crypto.GenerateIdentity(!pq)
	ts.Check(err)
	text := "# created: 2026-01-01T00:00:00Z\n# public key: " + id.RecipientString() + "\n" + id.String() + "\n"
	ts.Check(os.WriteFile(ts.MkAbs(args[len(args)-1]), []byte(text), 0o600))
	ts.Setenv("AGE_RECIPIENT", id.RecipientString())
}

// cmdHoldVault opens the script's vault ($CASEVAULT_DIR, unlocked with
// $CASEVAULT_PASSPHRASE_FILE) and keeps it open, so that casevault
// commands find it in use: holdvault | holdvault release. The vault is
// released when the script ends at the latest.
func cmdHoldVault(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 || len(args) == 1 && args[0] != "release" && args[0] != "read" {
		ts.Fatalf("usage: holdvault [release|read]")
	}
	readOnly := len(args) == 1 && args[0] == "read"
	if readOnly {
		args = nil
	}
	key := ts.Getenv("WORK")
	release := func() {
		heldMu.Lock()
		defer heldMu.Unlock()
		if v := heldVaults[key]; v != nil {
			v.Close()
			delete(heldVaults, key)
		}
	}
	if len(args) == 1 {
		release()
		return
	}
	pass, err := readPassphraseFile(ts.Getenv("CASEVAULT_PASSPHRASE_FILE"))
	ts.Check(err)
	v, err := vault.Open(ts.Getenv("CASEVAULT_DIR"), vault.Unlock{Passphrase: func() ([]byte, error) { return pass, nil }}, vault.Options{ReadOnly: readOnly})
	ts.Check(err)
	heldMu.Lock()
	heldVaults[key] = v
	heldMu.Unlock()
	ts.Defer(release)
}

// heldVaults are the vaults held by holdvault, by script work directory
// (scripts run in parallel).
var (
	heldMu     sync.Mutex
	heldVaults = map[string]*vault.Vault{}
)

// cmdEnvStdout sets an environment variable to the trimmed standard output
// of the previous command: envstdout NAME.
func cmdEnvStdout(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: envstdout NAME")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
}
