package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// storeWithTable makes a store with one table and returns its key and the
// table's path.
func storeWithTable(t *testing.T, dir string) (key []byte, table string) {
	t.Helper()
	key, db := newTestStore(t, dir, Options{})
	fillStore(t, db, 3000, func(i int) []byte { return []byte("a value of a record") })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ssts, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no table written")
	}
	return key, ssts[0]
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// Table files the MANIFEST does not name (a planted one, a copy of a real
// table under an unused number as a kill during a compaction leaves, and
// names that only look like tables, one of which would stop Badger) are
// moved byte for byte into the set-aside directory by the preflight of a
// writer and of a reader, before Badger (which deletes them at every
// open) sees them; the store then opens and reads every record; a second
// open moves nothing; a name taken in the set-aside directory is never
// replaced.
func TestPreflightSetsAsideUnlistedTables(t *testing.T) {
	for _, reader := range []bool{false, true} {
		vaultDir := t.TempDir()
		dir := filepath.Join(vaultDir, "db-1")
		aside := filepath.Join(vaultDir, "store-unlisted")
		key, table := storeWithTable(t, dir)
		real, _ := os.ReadFile(table)
		planted := []byte("an artefact someone put here")
		files := map[string][]byte{"000777.sst": planted, "000778.sst": real, "-1.sst": planted, "0001.sst": planted}
		for n, b := range files {
			os.WriteFile(filepath.Join(dir, n), b, 0o600)
		}
		// A file of that name is already set aside: it must stay.
		os.Mkdir(aside, 0o700)
		os.WriteFile(filepath.Join(aside, "000777.sst"), []byte("set aside before"), 0o600)

		moved, err := PreflightSetAside(dir, key, aside)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(moved)
		if want := []string{"-1.sst", "0001.sst", "000777-2.sst", "000778.sst"}; !slices.Equal(moved, want) {
			t.Errorf("reader %v: moved %q, want %q", reader, moved, want)
		}
		for n, b := range files {
			to := n
			if n == "000777.sst" {
				to = "000777-2.sst"
			}
			if got, err := os.ReadFile(filepath.Join(aside, to)); err != nil || !bytes.Equal(got, b) {
				t.Errorf("%s set aside as %s: %v (same bytes: %v)", n, to, err, bytes.Equal(got, b))
			}
			if _, err := os.Lstat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still in the store", n)
			}
		}
		if got, _ := os.ReadFile(filepath.Join(aside, "000777.sst")); string(got) != "set aside before" {
			t.Errorf("a file set aside before was replaced: %q", got)
		}
		if fi, _ := os.Stat(aside); fi.Mode().Perm() != 0o700 {
			t.Errorf("set-aside directory mode %v", fi.Mode().Perm())
		}
		checkStore(t, dir, key, Options{ReadOnly: reader}, 3000, func(i int) []byte { return []byte("a value of a record") })
		before := dirNames(t, dir)
		if moved, err := PreflightSetAside(dir, key, aside); err != nil || len(moved) > 0 {
			t.Errorf("second preflight: moved %q, %v", moved, err)
		}
		if reader {
			db, err := Open(dir, key, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			if after := dirNames(t, dir); !slices.Equal(before, after) {
				t.Errorf("a reader's open changed the store directory: %q -> %q", before, after)
			}
		}
	}
}

// A link named like a table is refused as damage, as before (nothing is
// moved through it); a set-aside "directory" that is a link is refused
// too rather than written through.
func TestPreflightSetAsideRefusesLinks(t *testing.T) {
	vaultDir := t.TempDir()
	dir := filepath.Join(vaultDir, "db-1")
	aside := filepath.Join(vaultDir, "store-unlisted")
	key, table := storeWithTable(t, dir)
	if err := os.Symlink(table, filepath.Join(dir, "000900.sst")); err != nil {
		t.Skip(err)
	}
	_, err := PreflightSetAside(dir, key, aside)
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("a link named like a table: %v, want damage", err)
	}
	if _, err := os.Lstat(aside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the set-aside directory was made for a refused store")
	}
	os.Remove(filepath.Join(dir, "000900.sst"))

	elsewhere := t.TempDir()
	os.Symlink(elsewhere, aside)
	os.WriteFile(filepath.Join(dir, "000901.sst"), []byte("planted"), 0o600)
	if _, err := PreflightSetAside(dir, key, aside); !errors.As(err, &de) {
		t.Fatalf("set-aside directory is a link: %v, want damage", err)
	}
	if names := dirNames(t, elsewhere); len(names) > 0 {
		t.Errorf("written through the link: %q", names)
	}
	if _, err := os.Stat(filepath.Join(dir, "000901.sst")); err != nil {
		t.Errorf("the planted table is gone: %v", err)
	}
}

// A store found damaged is left as it is: its unlisted tables are not
// moved (SECURITY.md, "Damaged stores are never written").
func TestPreflightSetAsideLeavesDamagedStore(t *testing.T) {
	vaultDir := t.TempDir()
	dir := filepath.Join(vaultDir, "db-1")
	aside := filepath.Join(vaultDir, "store-unlisted")
	key, table := storeWithTable(t, dir)
	os.WriteFile(filepath.Join(dir, "000900.sst"), []byte("planted"), 0o600)
	fi, _ := os.Stat(table)
	os.Truncate(table, fi.Size()-100)
	moved, err := PreflightSetAside(dir, key, aside)
	var de *DamageError
	if !errors.As(err, &de) || len(moved) > 0 {
		t.Fatalf("damaged store: moved %q, %v; want damage and nothing moved", moved, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "000900.sst")); err != nil {
		t.Errorf("the unlisted table left the damaged store: %v", err)
	}
	if _, err := os.Lstat(aside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the set-aside directory was made for a damaged store")
	}
}
