//go:build unix

package vault

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// precious makes a file outside the vault that nothing may change.
func precious(t *testing.T, name string) (string, func()) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	content := []byte("precious content of " + name + "\n")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, func() {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil || string(b) != string(content) {
			t.Errorf("%s was changed: %q, %v", name, b, err)
		}
	}
}

// plantAll plants at each name a symbolic link to a precious file, a hard
// link to another, a FIFO and a directory, cycling through names; it
// returns a check that they are all still there and the precious files
// unchanged.
func plantAll(t *testing.T, dir string, names []string) func() {
	t.Helper()
	sym, symOK := precious(t, "symlinked.txt")
	hard, hardOK := precious(t, "hardlinked.txt")
	var planted []string
	for i, n := range names {
		p := filepath.Join(dir, n)
		var err error
		switch i % 4 {
		case 0:
			err = os.Symlink(sym, p)
		case 1:
			err = os.Link(hard, p)
		case 2:
			err = syscall.Mkfifo(p, 0o600)
		case 3:
			if err = os.Mkdir(p, 0o700); err == nil {
				err = os.WriteFile(filepath.Join(p, "inside"), []byte("x"), 0o600)
			}
		}
		if err != nil {
			t.Fatalf("planting %s: %v", n, err)
		}
		planted = append(planted, p)
	}
	return func() {
		t.Helper()
		symOK()
		hardOK()
		for _, p := range planted {
			if _, err := os.Lstat(p); err != nil {
				t.Errorf("planted %s was removed: %v", filepath.Base(p), err)
			}
		}
	}
}

func TestShredNeverFollowsPlantedFiles(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A}\n")
	v.Close()
	var names []string
	for _, n := range []string{".tmp-evil", ".tmp-0123456789abcdef", ".tmp-fedcba9876543210", ".tmp-aaaaaaaaaaaaaaaa",
		".tmp-bbbbbbbbbbbbbbbb", ".tmp-cccccccccccccccc", ".tmp-dddddddddddddddd", ".tmp-eeeeeeeeeeeeeeee",
		"store-db-00000000.sig", "store-db-11111111.sig", "store-db-22222222.sig", "store-db-33333333.sig"} {
		names = append(names, n)
	}
	ok := plantAll(t, dir, names)
	// A leftover store directory holding links: removed, but only the links.
	left := filepath.Join(dir, "db-0badf00d")
	if err := os.Mkdir(left, 0o700); err != nil {
		t.Fatal(err)
	}
	okLeft := plantAll(t, left, []string{"000001.sst", "000002.vlog"})
	_ = okLeft
	sym, symOK := precious(t, "leftover-target.txt")
	if err := os.Symlink(sym, filepath.Join(left, "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	v = coreOpen(t, dir) // sweeps leftovers
	// evidence temporaries: check --repair leaves non-regular ones alone
	blobs := filepath.Join(dir, blobDir)
	_ = os.MkdirAll(blobs, 0o700)
	okBlobs := plantAll(t, blobs, []string{".tmp-1", ".tmp-2", ".tmp-3", ".tmp-4"})
	if _, err := v.Check(context.Background(), CheckOptions{Repair: true}); err != nil {
		t.Fatalf("check --repair: %v", err)
	}
	v.Close()
	ok()
	okBlobs()
	symOK()
	if _, err := os.Lstat(left); err == nil {
		t.Errorf("the leftover store directory was not removed")
	}
}

// TestReplaceKeyFileNeverOverwritesLinkTarget: passwd and rekey overwrite
// the old identity.age and master.age; a link planted in their place must
// not make them overwrite its target.
func TestReplaceKeyFileNeverOverwritesLinkTarget(t *testing.T) {
	for _, file := range []string{identityFile, masterFile} {
		t.Run(file, func(t *testing.T) {
			dir, v := coreInit(t, true)
			v.Close()
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			outside := filepath.Join(t.TempDir(), "outside-copy")
			if err := os.WriteFile(outside, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(dir, file)); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(dir, file)); err != nil {
				t.Fatal(err)
			}
			v = coreOpen(t, dir)
			if file == identityFile {
				err = v.ChangePassphrase([]byte("a new passphrase here"))
			} else {
				_, err = v.Rekey(context.Background())
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(outside)
			if string(got) != string(b) {
				t.Errorf("the link target of %s was overwritten", file)
			}
		})
	}
}
