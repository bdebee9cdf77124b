package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A set-aside directory planted as a link to elsewhere (atk10): an open
// refuses it as damage, but ListSetAside (what check reports) listed the
// link target's files as this store's set-aside tables and check said "no
// problems found". It reports the same damage as the open, and lists nothing
// of the target.
func TestListSetAsideRefusesLink(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(elsewhere, "private.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	aside := filepath.Join(dir, "store-unlisted")
	if err := os.Symlink(elsewhere, aside); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	names, err := ListSetAside(aside)
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("ListSetAside through a link: %v %v, want a *DamageError", names, err)
	}
	if len(names) != 0 {
		t.Errorf("listed the link target's files: %v", names)
	}
	// A real directory is listed; a missing one is none.
	real := filepath.Join(dir, "real")
	os.Mkdir(real, 0o700)
	os.WriteFile(filepath.Join(real, "000009.sst"), []byte("t"), 0o600)
	if names, err := ListSetAside(real); err != nil || len(names) != 1 {
		t.Errorf("a directory: %v %v", names, err)
	}
	if names, err := ListSetAside(filepath.Join(dir, "none")); err != nil || names != nil {
		t.Errorf("a missing directory: %v %v", names, err)
	}
}
