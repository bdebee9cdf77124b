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
// reader (whose preflight leaves the index's checksum to Badger) and by a
// writer alike, and the refused opens change nothing in the vault.
func TestTableIndexChecksumRefused(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A}\n")
	v.Close()
	tables, _ := filepath.Glob(filepath.Join(storeDir(t, dir), "*.sst"))
	if len(tables) == 0 {
		t.Fatal("no table")
	}
	b, err := os.ReadFile(tables[0])
	if err != nil {
		t.Fatal(err)
	}
	// Footer: index, index length (4), checksum, checksum length (4).
	chkLen := int(binary.BigEndian.Uint32(b[len(b)-4:]))
	idxEnd := len(b) - 4 - chkLen - 4
	idxLen := int(binary.BigEndian.Uint32(b[idxEnd:]))
	b[idxEnd-idxLen/2] ^= 0x40
	if err := os.WriteFile(tables[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), filepath.Base(tables[0])) || !strings.Contains(err.Error(), "checksum") {
			t.Fatalf("Open (read-only %v) with a damaged table index = %v, want damage naming %s", ro, err, filepath.Base(tables[0]))
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory")
	}
}
