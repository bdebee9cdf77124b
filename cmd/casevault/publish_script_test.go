package main

import (
	"os"

	"github.com/casevault/casevault/vault"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdOrgCard writes the card of the vault at $CASEVAULT_DIR to a file:
// orgcard FILE. (A test helper until the CLI prints cards itself.)
func cmdOrgCard(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: orgcard FILE")
	}
	pass := ts.Getenv("CASEVAULT_PASSPHRASE_FILE")
	v, err := vault.Open(ts.Getenv("CASEVAULT_DIR"), vault.Unlock{Passphrase: func() ([]byte, error) { return readPassphraseFile(pass) }}, vault.Options{})
	ts.Check(err)
	defer v.Close()
	card, err := v.Card()
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), card, 0o644))
}
