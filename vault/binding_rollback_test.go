package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestRollbackRefused is attack 01 of issue 11: an older copy of the
// vault's master.age, its store and its binding planted back after a rekey
// must not make the next open shred the current store.
func TestRollbackRefused(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: Before Copy}\n")
	v.Close()
	old := filepath.Join(t.TempDir(), "old")
	copyFixtureTree(t, dir, old)
	oldStores, _ := storeNames(old)
	v = coreOpen(t, dir)
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	coreAdd(t, v, "person: {name: After Rekey}\n")
	v.Close()
	cur, _ := storeNames(dir)
	copyFixtureTree(t, filepath.Join(old, oldStores[0]), filepath.Join(dir, oldStores[0]))
	for _, f := range []string{masterFile, bindingFile(oldStores[0])} {
		b, err := os.ReadFile(filepath.Join(old, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		var ce *CorruptError
		if !errors.Is(err, ErrRollback) || !errors.As(err, &ce) {
			t.Fatalf("Open (read-only %v) of a rolled back vault = %v, want ErrRollback damage", ro, err)
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory")
	}
	if _, err := os.Stat(filepath.Join(dir, cur[0], "MANIFEST")); err != nil {
		t.Fatalf("current store was removed: %v", err)
	}
}

// TestUncommittedLeftoverRemoved: a rekey's new store before the commit
// point (bound, never committed) is still removed as a leftover, and an
// older store after the commit point too.
func TestUncommittedLeftoverRemoved(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A}\n")
	v.Close()
	// A copy of the store under another name, bound as a rekey's copy
	// before its commit point (generation 2, not committed).
	names, _ := storeNames(dir)
	copyFixtureTree(t, filepath.Join(dir, names[0]), filepath.Join(dir, "db-0badc0de"))
	v = coreOpen(t, dir)
	if err := writeBinding(dir, v.id, v.mk, "db-0badc0de", 2, false); err != nil {
		t.Fatal(err)
	}
	v.Close()
	coreOpen(t, dir).Close()
	if got, _ := storeNames(dir); len(got) != 1 || got[0] != names[0] {
		t.Fatalf("stores after open = %v, want only %s", got, names[0])
	}
	if _, err := os.Stat(filepath.Join(dir, bindingFile("db-0badc0de"))); err == nil {
		t.Errorf("the leftover's binding was kept")
	}
}
