package main

import (
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdPlantTable copies the first table of the vault's store to NAME in the
// store directory (a table the MANIFEST does not name) and to NAME.orig in
// the work directory: planttable VAULT NAME.
func cmdPlantTable(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: planttable VAULT NAME")
	}
	tables, err := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "db-*", "*.sst"))
	ts.Check(err)
	if len(tables) == 0 {
		ts.Fatalf("planttable: no table in the store")
	}
	b, err := os.ReadFile(tables[0])
	ts.Check(err)
	ts.Check(os.WriteFile(filepath.Join(filepath.Dir(tables[0]), args[1]), b, 0o600))
	ts.Check(os.WriteFile(ts.MkAbs(args[1]+".orig"), b, 0o600))
}
