package store

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
)

// TestSizeCountsTables: Size's LSM bytes are the table files of the store
// (Badger's own count is a metric, off in this store, and was always 0,
// so the free-space checks that use it asked for nothing).
func TestSizeCountsTables(t *testing.T) {
	dir := t.TempDir()
	key, db := newTestStore(t, dir, Options{})
	fillStore(t, db, 4000, func(int) []byte {
		b := make([]byte, 1024)
		rand.Read(b)
		return b
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want int64
	ms, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	for _, m := range ms {
		fi, err := os.Stat(m)
		if err != nil {
			t.Fatal(err)
		}
		want += fi.Size()
	}
	lsm, _ := db.Size()
	if lsm != want || lsm < 4000*1024 {
		t.Fatalf("Size: %d bytes of tables, the %d table files hold %d (4,000 values of 1 KiB written)", lsm, len(ms), want)
	}
}
