package main

import (
	"os"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdShortID sets NAME to the shortest prefix (4 characters or more)
// of ID that no OTHER ID starts with: the short ID a user would type.
func cmdShortID(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: shortid NAME ID [OTHER...]")
	}
	id := args[1]
	for n := 4; n <= len(id); n++ {
		p, unique := id[:n], true
		for _, o := range args[2:] {
			if strings.HasPrefix(o, p) {
				unique = false
			}
		}
		if unique {
			ts.Setenv(args[0], p)
			return
		}
	}
	ts.Fatalf("%s has no unique prefix", id)
}

// cmdCP1251 writes the UTF-8 text file SRC to DST in Windows-1251, as
// Excel saves a CSV file in a Russian locale.
func cmdCP1251(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cp1251 SRC DST")
	}
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(ts.ReadFile(args[0])))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b, 0o600))
}
