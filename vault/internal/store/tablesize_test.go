package store

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
)

// fillStore writes n keys k00000000.. with val's values in transactions
// of what fits.
func fillStore(t *testing.T, db *DB, n int, val func(int) []byte) {
	t.Helper()
	for i := 0; i < n; {
		txn := db.NewTransaction(true)
		for ; i < n; i++ {
			if err := txn.Set(fmt.Appendf(nil, "k%08d", i), val(i)); err != nil {
				break // ErrTxnTooBig: commit and go on
			}
		}
		if err := txn.Commit(); err != nil {
			t.Fatal(err)
		}
		txn.Discard()
	}
}

// checkStore reads every key of dir back through Open with o and compares
// it with val, by point reads and by one iterator.
func checkStore(t *testing.T, dir string, key []byte, o Options, n int, val func(int) []byte) {
	t.Helper()
	db, err := Open(dir, key, o)
	if err != nil {
		t.Fatalf("open %+v: %v", o, err)
	}
	defer db.Close()
	err = db.View(func(txn *Txn) error {
		for i := 0; i < n; i += 97 {
			it, err := txn.Get(fmt.Appendf(nil, "k%08d", i))
			if err != nil {
				return fmt.Errorf("get k%08d: %w", i, err)
			}
			if v, _ := it.ValueCopy(nil); !bytes.Equal(v, val(i)) {
				return fmt.Errorf("get k%08d: another value", i)
			}
		}
		it := txn.NewIterator(IteratorOptions{Prefix: []byte("k")})
		defer it.Close()
		i := 0
		for it.Rewind(); it.Valid(); it.Next() {
			if want := fmt.Sprintf("k%08d", i); string(it.Item().Key()) != want {
				return fmt.Errorf("key %d is %q, want %q", i, it.Item().Key(), want)
			}
			if v, _ := it.Item().ValueCopy(nil); !bytes.Equal(v, val(i)) {
				return fmt.Errorf("key %q has another value", it.Item().Key())
			}
			i++
		}
		if i != n {
			return fmt.Errorf("iterated %d keys, want %d", i, n)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("open %+v: %v", o, err)
	}
}

func indexBytes(t *testing.T, dir string, key []byte) (tables, index int) {
	t.Helper()
	db, err := Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, ti := range db.Tables() {
		tables++
		index += ti.IndexBytes
	}
	return tables, index
}

// Every store before issue 14's table options was written with Badger's
// 4 KiB blocks; the store now writes 16 KiB blocks (tableBlockSize), which
// makes the indexes every open reads smaller. A store written with the old
// blocks must open and read back exactly as before, by readers and
// writers, and still after a writer has added tables of the new size and
// a compaction has merged old tables with new ones.
func TestOldBlockSizeStoreReadsBack(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	const n = 6000 // ~5 MB: one table of a few hundred blocks
	val := func(i int) []byte { return bytes.Repeat([]byte{byte(i), byte(i >> 8), 'v'}, 270) }
	oldDir, newDir := t.TempDir(), t.TempDir()

	// The old store, as casevault wrote it before: 4 KiB blocks.
	odb, err := openBadger(badgerOptions(oldDir, key).WithBlockSize(4 << 10))
	if err != nil {
		t.Fatal(err)
	}
	fillStore(t, &DB{odb}, n, val)
	if err := odb.Close(); err != nil {
		t.Fatal(err)
	}
	// The same records written by today's Open.
	ndb, err := Open(newDir, key, Options{NoSyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ndb.db.Opts().BlockSize; got != tableBlockSize {
		t.Fatalf("the store writes %d-byte blocks, want %d", got, tableBlockSize)
	}
	fillStore(t, ndb, n, val)
	if err := ndb.Close(); err != nil {
		t.Fatal(err)
	}
	ot, oi := indexBytes(t, oldDir, key)
	nt, ni := indexBytes(t, newDir, key)
	if ot == 0 || nt == 0 {
		t.Fatalf("no tables written (old %d, new %d)", ot, nt)
	}
	t.Logf("index bytes of the same %d records: %d in %d tables with 4 KiB blocks, %d in %d with %d KiB", n, oi, ot, ni, nt, tableBlockSize>>10)
	if ni*2 > oi {
		t.Errorf("index of %d bytes with %d-byte blocks, %d with 4 KiB ones: want less than half", ni, tableBlockSize, oi)
	}

	for _, o := range []Options{{ReadOnly: true}, {}, {BulkWrite: true}} {
		checkStore(t, oldDir, key, o, n, val)
	}
	// A writer of today adds tables with the new blocks over the old one,
	// then everything is compacted into one level (old and new merged).
	val2 := func(i int) []byte {
		if i%3 == 0 {
			return append(val(i), 'x')
		}
		return val(i)
	}
	db, err := Open(oldDir, key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *Txn) error {
		for i := 0; i < n; i += 3 {
			if err := txn.Set(fmt.Appendf(nil, "k%08d", i), val2(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil { // the memtable becomes a second table
		t.Fatal(err)
	}
	// Today's options, with a compaction due as soon as level 0 holds
	// more than one table.
	bdb, err := openBadger(badgerOptions(oldDir, key).WithNumLevelZeroTables(1))
	if err != nil {
		t.Fatal(err)
	}
	db = &DB{bdb}
	if got := len(db.Tables()); got < 2 {
		t.Fatalf("%d tables after a second writer, want an old and a new one", got)
	}
	if err := db.db.Flatten(1); err != nil {
		t.Fatal(err)
	}
	for _, ti := range db.Tables() {
		if ti.Level == 0 {
			t.Fatalf("table %d still on level 0 after the compaction", ti.ID)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{ReadOnly: true}, {}} {
		checkStore(t, oldDir, key, o, n, val2)
	}
}

// The bulk write options write larger tables (bulkTableSize); a reader
// and an ordinary writer keep Badger's table size of badgerOptions.
func TestBulkWriteTableSize(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	dir := t.TempDir()
	for _, c := range []struct {
		o    Options
		want int64
	}{{Options{BulkWrite: true}, bulkTableSize}, {Options{}, 4 << 20}, {Options{ReadOnly: true, BulkWrite: true}, 4 << 20}} {
		db, err := Open(dir, key, c.o)
		if err != nil {
			t.Fatal(err)
		}
		got := db.db.Opts().BaseTableSize
		db.Close()
		if got != c.want {
			t.Errorf("open %+v: tables of %d bytes, want %d", c.o, got, c.want)
		}
	}
}
