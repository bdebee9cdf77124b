package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// check on a vault whose store-unlisted is a link to another directory
// (atk10): an open with a table to set aside refuses the link as damage,
// but check listed the target's files as set-aside tables of this store and
// found no problem. It is store damage (a *CorruptError, exit 8), naming
// the directory.
func TestCheckRefusesLinkedSetAsideDir(t *testing.T) {
	dir, _ := vaultWithTable(t)
	elsewhere := t.TempDir()
	os.WriteFile(filepath.Join(elsewhere, "000900.sst"), []byte("not this store's"), 0o600)
	if err := os.Symlink(elsewhere, filepath.Join(dir, setAsideDir)); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	v := coreOpen(t, dir)
	rep, err := v.Check(context.Background(), CheckOptions{})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("check: %v (report %+v), want a *CorruptError", err, rep)
	}
	if ce.What != "vault "+setAsideDir {
		t.Errorf("damage names %q", ce.What)
	}
}
