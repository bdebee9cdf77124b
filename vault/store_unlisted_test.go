package vault

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func entryNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		fi, _ := e.Info()
		out = append(out, e.Name()+" "+fi.ModTime().String())
	}
	return out
}

// A table file planted in the store under a number the MANIFEST does not
// name, and a copy of a real table under another (what a kill during a
// compaction leaves), survive a writing command byte for byte in
// store-unlisted/ (Badger deleted them at the open); the open says so in
// one notice, the vault reads its case, and check reports the two files
// and finds no problem, with and without --repair (which leaves them). A
// read-only search of a store without such files changes nothing in the
// store directory.
func TestUnlistedTablesSetAside(t *testing.T) {
	dir, table := vaultWithTable(t)
	store := filepath.Dir(table)
	real, _ := os.ReadFile(table)
	planted := []byte("an artefact someone put here")
	os.WriteFile(filepath.Join(store, "000900.sst"), planted, 0o600)
	os.WriteFile(filepath.Join(store, "000901.sst"), real, 0o600)

	v := coreOpen(t, dir)
	if n := v.SetAsideNotice(); !strings.Contains(n, "(2)") || !strings.Contains(n, setAsideDir) {
		t.Errorf("notice %q", n)
	}
	coreAdd(t, v, "person: {name: B}\n")
	v.Close()
	aside := filepath.Join(dir, setAsideDir)
	for n, want := range map[string][]byte{"000900.sst": planted, "000901.sst": real} {
		if got, err := os.ReadFile(filepath.Join(aside, n)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s set aside: %v (same bytes %v)", n, err, bytes.Equal(got, want))
		}
	}
	for _, repair := range []bool{false, true} {
		v = coreOpen(t, dir)
		if n := v.SetAsideNotice(); n != "" {
			t.Errorf("second open: notice %q", n)
		}
		if l, err := v.ListCases(Filter{}); err != nil || len(l) != 2 {
			t.Fatalf("list: %d cases, %v", len(l), err)
		}
		rep, err := v.Check(context.Background(), CheckOptions{Repair: repair})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) > 0 {
			t.Errorf("check found problems: %v", rep.Problems)
		}
		if rep.SetAside == nil || !slices.Equal(rep.SetAside.Files, []string{"000900.sst", "000901.sst"}) || rep.SetAside.Dir != aside {
			t.Errorf("check reports set aside %+v", rep.SetAside)
		}
		v.Close()
	}

	before := entryNames(t, store)
	r, err := Open(dir, corePassphrase(corePass), Options{Author: "tester", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := r.SearchCases(context.Background(), "B", Filter{}, SearchOptions{}, func(Hit) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if after := entryNames(t, store); !slices.Equal(before, after) {
		t.Errorf("a read-only search changed the store directory:\n%q\n%q", before, after)
	}
}
