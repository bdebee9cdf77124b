package vault

import (
	"os"
	"path/filepath"
	"testing"
)

// storeDir returns the path of the vault's only store directory.
func storeDir(t *testing.T, dir string) string {
	t.Helper()
	names, err := storeNames(dir)
	if err != nil || len(names) != 1 {
		t.Fatalf("stores %v, %v", names, err)
	}
	return filepath.Join(dir, names[0])
}

// TestEmptyOldValueLogAccepted is attack 11 of issue 11: a kill inside
// Badger's removal of an old value log (truncate, close, remove) leaves an
// empty value log that is not the newest; the vault must still open, for
// reading and for writing.
func TestEmptyOldValueLogAccepted(t *testing.T) {
	dir, v := coreInit(t, true)
	id := coreAdd(t, v, "person: {name: Kept Case}\n")
	v.Close()
	sd := storeDir(t, dir)
	// Badger numbers value logs from 1: 000000.vlog sorts before every
	// real one.
	if err := os.WriteFile(filepath.Join(sd, "000000.vlog"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		v, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		if err != nil {
			t.Fatalf("Open (read-only %v) with an empty old value log: %v", ro, err)
		}
		if _, err := v.Case(id); err != nil {
			t.Errorf("Case: %v", err)
		}
		v.Close()
	}
}
