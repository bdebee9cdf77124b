//go:build linux

package vault

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A search that goes through many hits of a read-only vault hands the
// pages of the store's table files back as it reads (pageBound): when it
// returns, the process holds few of them, where without the bound (as
// before issue 14's fix) it holds every page it read, so that its RSS
// grew with the number of hits. The hits are the same either way.
func TestSearchReleasesTablePages(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 400, 5)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	dir := v.Dir()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	search := func(above int64) (hits []string, resident int64) {
		t.Helper()
		defer func(a int64, e int) { tablePagesAbove, tablePagesEvery = a, e }(tablePagesAbove, tablePagesEvery)
		tablePagesAbove, tablePagesEvery = above, 1
		rv, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return bytes.Clone(testPass), nil }}, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer rv.Close()
		for _, q := range []string{"colony", "sentenced", "вороб*"} {
			err = rv.SearchCases(context.Background(), q, Filter{}, SearchOptions{}, func(h Hit) error {
				hits = append(hits, h.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return hits, residentTableBytes(t, filepath.Join(dir, rv.dbName))
	}
	// Every look at the resident pages releases them (a bound below
	// anything: other tests of this process map and release their own).
	kept, all := search(1 << 62)
	_, bounded := search(-1 << 62)
	hits, _ := search(-1 << 62)
	if len(hits) < 100 {
		t.Fatalf("%d hits: the test needs many", len(hits))
	}
	if len(hits) != len(kept) {
		t.Fatalf("%d hits with the bound, %d without", len(hits), len(kept))
	}
	for i := range hits {
		if hits[i] != kept[i] {
			t.Fatalf("hit %d: %s with the bound, %s without", i, hits[i], kept[i])
		}
	}
	t.Logf("%d hits; table pages resident after the searches: %d KiB unbounded, %d KiB bounded", len(hits), all>>10, bounded>>10)
	if all < 256<<10 {
		t.Fatalf("only %d KiB of table pages read without the bound: the test reads too little", all>>10)
	}
	if bounded > all/4 {
		t.Fatalf("%d KiB of table pages resident with the bound (%d KiB without): not handed back", bounded>>10, all>>10)
	}
}

// residentTableBytes sums the resident bytes (Rss in /proc/self/smaps) of
// the mappings of dir's table files.
func residentTableBytes(t *testing.T, dir string) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps:", err)
	}
	defer f.Close()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	var sum int64
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) == 0 {
			continue
		}
		if !strings.HasSuffix(fs[0], ":") { // start-end perms offset dev inode [path]
			in = len(fs) >= 6 && strings.HasPrefix(fs[5], dir+"/") && strings.HasSuffix(fs[5], ".sst")
			continue
		}
		if in && fs[0] == "Rss:" && len(fs) >= 2 {
			n, err := strconv.ParseInt(fs[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			sum += n << 10
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return sum
}
