//go:build linux

package store

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// tableRSS sums the resident bytes of the mappings of dir's table files,
// from /proc/self/smaps.
func tableRSS(t *testing.T, dir string) (mappings int, rss int64) {
	t.Helper()
	want := map[uintptr]bool{}
	for _, m := range tableMappings(dir) {
		want[m.start] = true
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps:", err)
	}
	defer f.Close()
	in := false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Bytes()
		if rng, _, ok := bytes.Cut(line, []byte(" ")); ok && bytes.IndexByte(rng, '-') > 0 && !bytes.HasSuffix(rng, []byte(":")) {
			a, _, _ := bytes.Cut(rng, []byte("-"))
			start, err := strconv.ParseUint(string(a), 16, 64)
			in = err == nil && want[uintptr(start)]
			if in {
				mappings++
			}
			continue
		}
		if in && bytes.HasPrefix(line, []byte("Rss:")) {
			var kb int64
			fmt.Sscanf(string(line), "Rss: %d kB", &kb)
			rss += kb << 10
		}
	}
	return mappings, rss
}

// An import writes tables through Badger's memory maps, and their pages
// stayed in the process's RSS until the table was deleted. ReleaseTables
// must find the store's table mappings and page them out, and the store
// must still read everything back.
func TestReleaseTablesPagesOutTables(t *testing.T) {
	dir := t.TempDir()
	_, db := newTestStore(t, dir, Options{NoSyncWrites: true})
	defer db.Close()
	val := make([]byte, 1000)
	const n = 40_000 // 40 MB: more than two 16 MiB memtables, so tables are written
	for i := 0; i < n; {
		txn := db.NewTransaction(true)
		for ; i < n; i++ {
			rand.Read(val[:16])
			if err := txn.Set(fmt.Appendf(nil, "k%08d", i), val); err != nil {
				break
			}
		}
		if err := txn.Commit(); err != nil {
			t.Fatal(err)
		}
		txn.Discard()
	}
	var maps int
	var before int64
	for range 100 { // the memtable flush runs in the background
		if maps, before = tableRSS(t, dir); maps > 0 && before > 0 {
			break
		}
		db.Sync()
	}
	if maps == 0 || before == 0 {
		t.Fatalf("found %d table mappings of %s with %d resident bytes; want some", maps, dir, before)
	}
	if got := releaseTables(dir, 0); got <= 0 {
		t.Fatalf("releaseTables saw %d resident file bytes", got)
	}
	_, after := tableRSS(t, dir)
	for try := 0; after >= before/2 && try < 20; try++ {
		// a compaction reading the tables meanwhile maps pages again
		time.Sleep(100 * time.Millisecond)
		releaseTables(dir, 0)
		_, after = tableRSS(t, dir)
	}
	if after >= before/2 {
		t.Skipf("table mappings resident: %d bytes before ReleaseTables, %d after 20 tries: the kernel did not take the advice here (nothing else in the test depends on it)", before, after)
	}
	t.Logf("%d table mappings: %d resident bytes before, %d after", maps, before, after)
	if err := db.View(func(txn *Txn) error {
		_, err := txn.Get(fmt.Appendf(nil, "k%08d", 123))
		return err
	}); err != nil {
		t.Fatalf("read after paging out: %v", err)
	}
}
