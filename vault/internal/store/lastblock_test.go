package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Damage at the end of a table's last block (its IV, checksum length,
// checksum and entry count: what Badger reads when it opens the table, in
// goroutines of its own where a panic ends the process) is refused by
// Preflight as damage, before Badger sees it; so is damage in the index.
// The same store unharmed passes, and opens.
func TestPreflightRefusesDamagedLastBlock(t *testing.T) {
	dir := t.TempDir()
	key, lower, upper := leveledStore(t, dir, 20000)
	if err := Preflight(dir, key); err != nil {
		t.Fatalf("whole store: %v", err)
	}
	for _, table := range []string{lower, upper} {
		orig, err := os.ReadFile(table)
		if err != nil {
			t.Fatal(err)
		}
		idxStart, idxLen, _ := tableFooter(orig)
		var offs []int
		for k := 1; k <= 48; k++ { // the last block's tail
			offs = append(offs, idxStart-k)
		}
		offs = append(offs, idxStart, idxStart+idxLen/2, idxStart+idxLen-1) // the index
		for _, off := range offs {
			b := append([]byte(nil), orig...)
			b[off] ^= 0x5a
			if err := os.WriteFile(table, b, 0o600); err != nil {
				t.Fatal(err)
			}
			err := Preflight(dir, key)
			var de *DamageError
			if !errors.As(err, &de) {
				t.Errorf("%s, byte %d of %d flipped (index at %d): Preflight gave %v, want damage", filepath.Base(table), off, len(b), idxStart, err)
			}
		}
		if err := os.WriteFile(table, orig, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := Preflight(dir, key); err != nil {
		t.Fatalf("store restored: %v", err)
	}
	db, err := Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := len(db.db.Tables()); got < 2 {
		t.Fatalf("%d tables, want the two of leveledStore", got)
	}
}
