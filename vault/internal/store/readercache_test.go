package store

import (
	"crypto/rand"
	"testing"
)

// TestPreflightLayoutIndexBytes: the index bytes Preflight finds are the
// sum of the tables' indexes as Badger reports them once the store is open,
// for the tables the MANIFEST names.
func TestPreflightLayoutIndexBytes(t *testing.T) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	val := func(i int) []byte { b := make([]byte, 300); b[0] = byte(i); return b }
	for range 3 { // each close flushes the memtable into a table of its own
		db, err := Open(dir, key, Options{NoSyncWrites: true})
		if err != nil {
			t.Fatal(err)
		}
		fillStore(t, db, 3000, val)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	layout, err := PreflightLayout(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	tables, index := indexBytes(t, dir, key)
	if tables < 3 {
		t.Fatalf("%d tables, want at least 3", tables)
	}
	if layout.IndexBytes != int64(index) {
		t.Fatalf("PreflightLayout found %d index bytes, the open store's %d tables have %d", layout.IndexBytes, tables, index)
	}
	checkStore(t, dir, key, Options{ReadOnly: true, IndexBytes: layout.IndexBytes}, 3000, val)
}

// TestReaderIndexCacheHoldsEveryIndex: a reader told the store's index
// bytes opens with an index cache that holds them all (so that Badger does
// not decrypt an index a third time during the open), within its bounds;
// writers keep their small cache.
func TestReaderIndexCacheHoldsEveryIndex(t *testing.T) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := Open(dir, key, Options{NoSyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	fillStore(t, db, 100, func(int) []byte { return []byte("v") })
	writer := db.db.Opts().IndexCacheSize
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if writer != 4<<20 {
		t.Errorf("writer's index cache %d, want 4 MiB", writer)
	}
	for _, c := range []struct{ index, min, max int64 }{
		{0, readerIndexCache, readerIndexCache},
		{1 << 20, readerIndexCache, readerIndexCache},
		{33 << 20, 33 << 20, 48 << 20}, // 596,461 cases, 576 tables of 4 KiB blocks
		{200 << 20, 200 << 20, maxReaderIndexCache},
		{4 << 30, maxReaderIndexCache, maxReaderIndexCache},
	} {
		db, err := Open(dir, key, Options{ReadOnly: true, IndexBytes: c.index})
		if err != nil {
			t.Fatal(err)
		}
		got := db.db.Opts().IndexCacheSize
		db.Close()
		if got < c.min || got > c.max {
			t.Errorf("index bytes %d: reader's index cache %d, want %d to %d", c.index, got, c.min, c.max)
		}
	}
}
