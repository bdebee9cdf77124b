//go:build linux

package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// listingState is every entry below dir with its mode, size and
// modification time.
func listingState(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %v %d %d", rel, fi.Mode(), fi.Size(), fi.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestDamagedStoreNeverWritten removes, truncates and corrupts each kind of
// Badger file (issue 11: a removed KEYREGISTRY made check panic with exit 2
// and write new files into the store). Every command must exit 8 with a
// clear message and no Go trace, and leave every file as it was.
func TestDamagedStoreNeverWritten(t *testing.T) {
	bin := buildCasevault(t)
	cv := newCrashVault(t, bin)
	yaml := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(yaml, []byte("person: {name: Anna & Boris}\nstatus: pretrial\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // several sessions: several value logs
		if r := cv.run(t, nil, "case", "add", "-f", yaml); r.code != 0 {
			t.Fatalf("case add: %s", r.stderr)
		}
	}
	stores, _ := filepath.Glob(filepath.Join(cv.dir, "db-*"))
	if len(stores) != 1 {
		t.Fatalf("stores %v", stores)
	}
	store := filepath.Base(stores[0])
	pick := func(dir, suffix string, n int) string {
		m, _ := filepath.Glob(filepath.Join(dir, store, "*"+suffix))
		sort.Strings(m)
		if len(m) <= n {
			t.Fatalf("no %d-th %s file in %v", n, suffix, m)
		}
		return m[n]
	}
	remove := func(p string) error { return os.Remove(p) }
	truncate := func(p string) error {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		return os.Truncate(p, fi.Size()/2)
	}
	truncateShort := func(p string) error { return os.Truncate(p, 10) }
	flipAt := func(frac float64) func(string) error {
		return func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[int(float64(len(b)-1)*frac)] ^= 0x55
			return os.WriteFile(p, b, 0o600)
		}
	}
	flipHead := func(p string) error {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b[3] ^= 0x55
		return os.WriteFile(p, b, 0o600)
	}
	cases := []struct {
		name   string
		file   func(dir string) string
		damage func(string) error
	}{
		{"KEYREGISTRY removed", func(d string) string { return pick(d, "KEYREGISTRY", 0) }, remove},
		{"KEYREGISTRY truncated", func(d string) string { return pick(d, "KEYREGISTRY", 0) }, truncate},
		{"KEYREGISTRY corrupted", func(d string) string { return pick(d, "KEYREGISTRY", 0) }, flipAt(0.5)},
		{"MANIFEST removed", func(d string) string { return pick(d, "MANIFEST", 0) }, remove},
		{"MANIFEST truncated", func(d string) string { return pick(d, "MANIFEST", 0) }, truncate},
		{"MANIFEST corrupted", func(d string) string { return pick(d, "MANIFEST", 0) }, flipAt(0.9)},
		{"vlog truncated", func(d string) string { return pick(d, ".vlog", 0) }, truncateShort},
		{"vlog header corrupted", func(d string) string { return pick(d, ".vlog", 1) }, flipHead},
		{"sst removed", func(d string) string { return pick(d, ".sst", 0) }, remove},
		{"sst truncated", func(d string) string { return pick(d, ".sst", 0) }, truncate},
		{"sst index corrupted", func(d string) string { return pick(d, ".sst", 0) }, flipAt(0.97)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyVault(t, cv.dir)
			if err := tc.damage(tc.file(dir)); err != nil {
				t.Fatal(err)
			}
			before := listingState(t, dir)
			for _, args := range [][]string{{"check"}, {"case", "list"}, {"case", "search", "anna"}, {"case", "add", "-f", yaml}} {
				r := cv.run(t, []string{"CASEVAULT_DIR=" + dir}, args...)
				cleanFailure(t, r, 8, "damaged")
				if after := listingState(t, dir); after != before {
					t.Fatalf("%v changed the damaged vault:\nbefore\n%s\nafter\n%s", args, before, after)
				}
			}
		})
	}
}

// TestRemovedValueLogReadOnly: a value log Badger could have deleted itself
// is not damage, and reading commands still write nothing.
func TestRemovedValueLogReadOnly(t *testing.T) {
	bin := buildCasevault(t)
	cv := newCrashVault(t, bin)
	yaml := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(yaml, []byte("person: {name: Anna & Boris}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if r := cv.run(t, nil, "case", "add", "-f", yaml); r.code != 0 {
			t.Fatalf("case add: %s", r.stderr)
		}
	}
	logs, _ := filepath.Glob(filepath.Join(cv.dir, "db-*", "*.vlog"))
	sort.Strings(logs)
	if len(logs) == 0 {
		t.Fatal("no value log")
	}
	if err := os.Remove(logs[0]); err != nil {
		t.Fatal(err)
	}
	before := listingState(t, cv.dir)
	for _, args := range [][]string{{"check"}, {"case", "list"}} {
		r := cv.run(t, nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "Anna & Boris") && args[0] == "case" {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if after := listingState(t, cv.dir); after != before {
			t.Fatalf("%v wrote to the store:\nbefore\n%s\nafter\n%s", args, before, after)
		}
	}
}
