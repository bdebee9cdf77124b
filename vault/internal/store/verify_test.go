package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A byte flipped in a data block of a table: the store still opens (the
// table's footer and index are whole) and an iterator ends quietly early
// (Badger's behaviour, why VerifyTables exists), but VerifyTables refuses
// the store as damaged; the same store unharmed verifies.
func TestVerifyTablesFindsDamagedBlock(t *testing.T) {
	dir := t.TempDir()
	key, db := newTestStore(t, dir, Options{})
	var err error
	const n = 20000
	val := func(i int) []byte { return []byte("value of a record, long enough to fill a few blocks") }
	fillStore(t, db, n, val)
	if err := db.Close(); err != nil { // flushes the memtable into a table
		t.Fatal(err)
	}
	if db, err = Open(dir, key, Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.VerifyTables(); err != nil {
		t.Fatalf("whole store: %v", err)
	}
	db.Close()

	ssts, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no table written")
	}
	f, err := os.OpenFile(ssts[0], os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	f.ReadAt(b, 100) // inside the first data block
	b[0] ^= 0x5a
	f.WriteAt(b, 100)
	f.Close()

	db, err = Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open after a flipped data byte: %v (the index is whole: it should open)", err)
	}
	defer db.Close()
	seen := 0
	db.View(func(txn *Txn) error {
		it := txn.NewIterator(IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			seen++
		}
		return nil
	})
	t.Logf("an iterator saw %d of %d keys, without an error", seen, n)
	err = db.VerifyTables()
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("VerifyTables after a flipped data byte: %v, want a *DamageError", err)
	}
	t.Log(err)
}
