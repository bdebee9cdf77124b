package vault

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenWithEmptyLogs: a kill between Badger creating a memtable or value
// log file and writing its header leaves an empty file; the vault must
// still open, with its content.
func TestOpenWithEmptyLogs(t *testing.T) {
	v := newTestVault(t)
	id, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(v.Dir(), v.dbName)
	v.Close()
	for _, n := range []string{"00099.mem", "000099.vlog"} {
		if err := os.WriteFile(filepath.Join(store, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	v, err = Open(v.Dir(), passUnlock(testPass), Options{})
	if err != nil {
		t.Fatalf("open with empty log files: %v", err)
	}
	defer v.Close()
	if _, err := v.Case(id); err != nil {
		t.Fatal(err)
	}
}
