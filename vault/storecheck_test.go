package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
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

// TestPlantedNonRegularInStoreRefused is attack 05 of issue 11: a link,
// FIFO or directory planted under any name in the store directory is
// damage before Badger opens the store, and the link's target is left
// untouched.
func TestPlantedNonRegularInStoreRefused(t *testing.T) {
	for _, tc := range []struct{ name, kind string }{
		{"LOCK", "symlink"}, {"KEYREGISTRY.rewrite", "symlink"}, {"DISCARD", "symlink"},
		{"any-name", "symlink"}, {"DISCARD", "fifo"}, {"sub", "dir"},
	} {
		t.Run(tc.name+" "+tc.kind, func(t *testing.T) {
			dir, v := coreInit(t, true)
			coreAdd(t, v, "person: {name: A}\n")
			v.Close()
			sd := storeDir(t, dir)
			target := filepath.Join(t.TempDir(), "victim-file")
			if err := os.WriteFile(target, []byte("precious\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(sd, tc.name)
			_ = os.Remove(p)
			var err error
			switch tc.kind {
			case "symlink":
				err = os.Symlink(target, p)
			case "fifo":
				err = mkfifoForTest(p)
			case "dir":
				err = os.Mkdir(p, 0o700)
			}
			if err != nil {
				t.Skipf("cannot plant a %s here: %v", tc.kind, err)
			}
			before := treeState(t, dir)
			for _, ro := range []bool{true, false} {
				_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
				var ce *CorruptError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "not a regular file") {
					t.Fatalf("Open (read-only %v) with a planted %s %s = %v, want damage", ro, tc.kind, tc.name, err)
				}
			}
			if after := treeState(t, dir); after != before {
				t.Errorf("the refused open changed the vault directory")
			}
			if b, _ := os.ReadFile(target); string(b) != "precious\n" {
				t.Errorf("the link's target was written: %q", b)
			}
		})
	}
}

// TestKeyRegistryLengthBounded is attack 08 of issue 11: 8 bytes appended
// to KEYREGISTRY (a length of 4 GiB) are damage found before Badger
// allocates what the length names; so is a header cut short.
func TestKeyRegistryLengthBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func([]byte) []byte
	}{
		{"8 bytes appended", func(b []byte) []byte { return append(b, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0) }},
		{"3 bytes appended", func(b []byte) []byte { return append(b, 1, 2, 3) }},
		{"truncated header", func(b []byte) []byte { return b[:20] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, v := coreInit(t, true)
			coreAdd(t, v, "person: {name: A}\n")
			v.Close()
			p := filepath.Join(storeDir(t, dir), "KEYREGISTRY")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tc.mod(b), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{true, false} {
				_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
				var ce *CorruptError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "KEYREGISTRY") {
					t.Fatalf("Open (read-only %v) = %v, want KEYREGISTRY damage", ro, err)
				}
			}
		})
	}
}

// TestKeyRegistryLayoutAcceptsReal: the strict walk accepts the key
// registries Badger writes, with several data keys (no false alarm).
func TestKeyRegistryLayoutAcceptsReal(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A}\n")
	v.Close()
	p := filepath.Join(storeDir(t, dir), "KEYREGISTRY")
	// 11 idle days make the next writer add a data key.
	ageKeyRegistry(t, p, 11*24*time.Hour)
	w := coreOpen(t, dir)
	coreAdd(t, w, "person: {name: B}\n")
	key := w.keys.badger
	w.Close()
	if err := store.Preflight(filepath.Dir(p), key[:]); err != nil {
		t.Fatal(err)
	}
	coreOpen(t, dir).Close()
}

// TestZeroedTableRefused is attack 06 of issue 11: a table full of zeros
// (what a power loss can leave) is damage before Badger opens the store
// (it panicked in a goroutine of its own), and nothing is written.
func TestZeroedTableRefused(t *testing.T) {
	dir, table := vaultWithTable(t)
	st, err := os.Stat(table)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(table, make([]byte, st.Size()), 0o600); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "table") {
			t.Fatalf("Open (read-only %v) with a zeroed table = %v, want table damage", ro, err)
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory")
	}
}
