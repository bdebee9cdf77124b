package vault

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTableIndexChecksumRefused: a table whose index no longer matches its
// checksum (one flipped byte) is refused as damage naming the table, by a
// reader and by a writer alike, and the refused opens change nothing in the vault.
func TestTableIndexChecksumRefused(t *testing.T) {
	dir, table := vaultWithTable(t)
	b, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	start, end := tableIndex(b)
	b[(start+end)/2] ^= 0x40
	if err := os.WriteFile(table, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), filepath.Base(table)) || !strings.Contains(err.Error(), "checksum") {
			t.Fatalf("Open (read-only %v) with a damaged table index = %v, want damage naming %s", ro, err, filepath.Base(table))
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory")
	}
}

// vaultWithTable makes a vault of one case whose store has a table, closed,
// and returns its directory and the table's path.
func vaultWithTable(t *testing.T) (dir, table string) {
	t.Helper()
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A}\n")
	v.Close()
	tables, _ := filepath.Glob(filepath.Join(storeDir(t, dir), "*.sst"))
	if len(tables) == 0 {
		t.Fatal("no table")
	}
	return dir, tables[0]
}

// tableIndex returns where the index of the table b starts and ends (its
// footer: index, index length (4), checksum, checksum length (4)); the
// data blocks are before it.
func tableIndex(b []byte) (start, end int) {
	chkLen := int(binary.BigEndian.Uint32(b[len(b)-4:]))
	end = len(b) - 4 - chkLen - 4
	return end - int(binary.BigEndian.Uint32(b[end:])), end
}
