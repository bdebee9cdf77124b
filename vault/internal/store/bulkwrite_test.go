package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// A writer killed with most of a 32 MiB memtable in its log (here: the
// store's directory copied while the writer has it open, its writes
// synced) is opened by a bulk writer (an import): every write is there and
// the store is not reported damaged. Badger replays a log into a memtable
// of the open's size, so every writer must use the same size: with the
// import's former 16 MiB this log ended the process ("Arena too small").
func TestBulkWriteAfterKilledWriter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	key, db := newTestStore(t, dir, Options{})
	val := func(i int) []byte { return bytes.Repeat([]byte{byte(i), byte(i >> 8)}, 120) }
	const n = 80_000 // ~27 MB in a memtable: more than a 16 MiB one holds, less than a 32 MiB one
	fillStore(t, db, n, val)
	killed := filepath.Join(t.TempDir(), "killed")
	if err := os.CopyFS(killed, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(killed); !slices.ContainsFunc(ents, func(e os.DirEntry) bool {
		fi, err := e.Info()
		return err == nil && strings.HasSuffix(e.Name(), ".mem") && fi.Size() > 0
	}) {
		t.Fatal("the copy has no memtable log to replay")
	}
	bulk, err := Open(killed, key, Options{BulkWrite: true})
	if err != nil {
		t.Fatalf("bulk open after a killed writer: %v", err)
	}
	defer bulk.Close()
	if got, want := bulk.db.Opts().MemTableSize, badgerOptions("", nil).MemTableSize; got != want {
		t.Errorf("bulk writer memtable %d bytes, other writers' %d", got, want)
	}
	count := 0
	err = bulk.View(func(txn *Txn) error {
		it := txn.NewIterator(IteratorOptions{Prefix: []byte("k")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			count++
		}
		return nil
	})
	if err != nil || count != n {
		t.Fatalf("after the replay: %d of %d keys, %v", count, n, err)
	}
}
