package store

import (
	"bytes"
	"fmt"
	"testing"
)

// A store written with the bulk options (more, larger compactions apart)
// must hold exactly what was written, read back by a store opened with the
// ordinary options and by a reader; the options apply to writers only.
func TestBulkWriteStoreReadsBack(t *testing.T) {
	dir := t.TempDir()
	key, db := newTestStore(t, dir, Options{BulkWrite: true, NoSyncWrites: true})
	if got := db.db.Opts().BaseLevelSize; got != 64<<20 {
		t.Fatalf("bulk write base level %d bytes, want %d", got, 64<<20)
	}
	val := func(i int) []byte { return bytes.Repeat([]byte{byte(i), byte(i >> 8)}, 400) }
	const n = 25_000 // ~20 MB: more than a memtable, so tables are written
	for i := 0; i < n; {
		txn := db.NewTransaction(true)
		for ; i < n; i++ {
			if err := txn.Set(fmt.Appendf(nil, "k%08d", i*7919%n), val(i*7919%n)); err != nil {
				break // ErrTxnTooBig: commit and go on
			}
		}
		if err := txn.Commit(); err != nil {
			t.Fatal(err)
		}
		txn.Discard()
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{}, {ReadOnly: true}, {ReadOnly: true, BulkWrite: true}} {
		db, err := Open(dir, key, o)
		if err != nil {
			t.Fatalf("open %+v: %v", o, err)
		}
		if o.ReadOnly && o.BulkWrite && db.db.Opts().BaseLevelSize == 64<<20 {
			t.Errorf("a reader took the bulk write options")
		}
		count := 0
		err = db.View(func(txn *Txn) error {
			it := txn.NewIterator(IteratorOptions{Prefix: []byte("k")})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				var i int
				fmt.Sscanf(string(it.Item().Key()), "k%08d", &i)
				if err := it.Item().Value(func(v []byte) error {
					if !bytes.Equal(v, val(i)) {
						return fmt.Errorf("key %q has another value", it.Item().Key())
					}
					return nil
				}); err != nil {
					return err
				}
				count++
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatalf("open %+v: %v", o, err)
		}
		if count != n {
			t.Fatalf("open %+v: read %d keys back, want %d", o, count, n)
		}
	}
}
