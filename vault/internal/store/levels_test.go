package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leveledStore makes a store whose keys k00000000.. hold "old" values in
// one table on a lower level and "new" values of the first half of them in
// a level-0 table above; it returns the store's key and the two tables.
func leveledStore(t *testing.T, dir string, n int) (key []byte, lower, upper string) {
	t.Helper()
	key, db := newTestStore(t, dir, Options{})
	var err error
	// Five flushes: more level-0 tables than Badger keeps (3), which a
	// flatten then moves down.
	for r := 0; r < 5; r++ {
		fillStore(t, db, n, func(i int) []byte { return fmt.Appendf(nil, "old value %d %d", r, i) })
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if db, err = Open(dir, key, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.db.Flatten(1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(dir, key, Options{}); err != nil {
		t.Fatal(err)
	}
	fillStore(t, db, n/2, func(i int) []byte { return fmt.Appendf(nil, "new value %d", i) })
	db.Close()
	if db, err = Open(dir, key, Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	for _, ti := range db.db.Tables() {
		t.Logf("table %06d level %d keys %d", ti.ID, ti.Level, ti.KeyCount)
		if ti.Level == 0 {
			upper = tableName(ti.ID)
		} else {
			lower = tableName(ti.ID)
		}
	}
	db.Close()
	if lower == "" || upper == "" {
		t.Fatalf("want a table on level 0 and one below: %q %q", upper, lower)
	}
	return key, filepath.Join(dir, lower), filepath.Join(dir, upper)
}

// readAll reads every key of the store, by one iterator and point reads.
func readAll(t *testing.T, dir string, key []byte) string {
	t.Helper()
	db, err := Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	db.View(func(txn *Txn) error {
		it := txn.NewIterator(IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, _ := it.Item().ValueCopy(nil)
			fmt.Fprintf(&b, "%s=%s\n", it.Item().Key(), v)
			g, err := txn.Get(it.Item().Key())
			if err != nil {
				return err
			}
			if gv, _ := g.ValueCopy(nil); !bytes.Equal(gv, v) {
				fmt.Fprintf(&b, "get %s=%s\n", it.Item().Key(), gv)
			}
		}
		return nil
	})
	return b.String()
}

// verifiedLeveledStore is leveledStore in a new directory, checked to pass
// VerifyLevels as made; before is what readAll reads from it.
func verifiedLeveledStore(t *testing.T, n int) (dir string, key []byte, lower, upper, before string) {
	t.Helper()
	dir = t.TempDir()
	key, lower, upper = leveledStore(t, dir, n)
	before = readAll(t, dir, key)
	db, err := Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.VerifyLevels(); err != nil {
		t.Fatalf("store as made: %v", err)
	}
	return dir, key, lower, upper, before
}

// Two table files of different levels swapped: the store opens and reads
// the same records (Badger takes the newest version whatever its level),
// VerifyTables passes (every block is whole), and VerifyLevels names the
// two tables as damage. The store as made verifies.
func TestVerifyLevelsFindsSwappedTables(t *testing.T) {
	dir, key, lower, upper, before := verifiedLeveledStore(t, 4000)

	a, _ := os.ReadFile(lower)
	b, _ := os.ReadFile(upper)
	os.WriteFile(lower, b, 0o600)
	os.WriteFile(upper, a, 0o600)

	if after := readAll(t, dir, key); after != before {
		t.Errorf("records read differ after the swap")
	}
	db, err := Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.VerifyTables(); err != nil {
		t.Fatalf("VerifyTables: %v (the blocks are whole)", err)
	}
	err = db.VerifyLevels()
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("VerifyLevels after a swap: %v, want a *DamageError", err)
	}
	for _, p := range []string{lower, upper} {
		if !strings.Contains(err.Error(), filepath.Base(p)) {
			t.Errorf("the damage does not name %s: %v", filepath.Base(p), err)
		}
	}
	t.Log(err)
}

// Two table files swapped so that one level's key ranges overlap: Badger
// refuses the open with both keys dumped in hex; Open reports it as damage
// naming the two overlapping tables, on one line, without the keys.
func TestOpenNamesOverlappingTables(t *testing.T) {
	dir := t.TempDir()
	key, db := newTestStore(t, dir, Options{})
	var err error
	// Keys a… and b… each flattened to the last level as tables of their
	// own, then newer values of a… in a level-0 table.
	for _, p := range []string{"a", "b"} {
		for r := 0; r < 4; r++ {
			txn := db.NewTransaction(true)
			for i := 0; i < 2000; i++ {
				txn.Set(fmt.Appendf(nil, "%s%06d", p, i), fmt.Appendf(nil, "v%d", r))
			}
			if err := txn.Commit(); err != nil {
				t.Fatal(err)
			}
			db.Close()
			if db, err = Open(dir, key, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Flatten(); err != nil {
			t.Fatal(err)
		}
	}
	txn := db.NewTransaction(true)
	for i := 0; i < 2000; i++ {
		txn.Set(fmt.Appendf(nil, "a%06d", i), []byte("new"))
	}
	txn.Commit()
	db.Close()
	if db, err = Open(dir, key, Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	var l0, b string
	for _, ti := range db.db.Tables() {
		if ti.Level == 0 {
			l0 = tableName(ti.ID)
		} else if ti.Left[0] == 'b' {
			b = tableName(ti.ID)
		}
	}
	db.Close()
	if l0 == "" || b == "" {
		t.Fatalf("tables: level 0 %q, b… %q", l0, b)
	}
	x, _ := os.ReadFile(filepath.Join(dir, l0))
	y, _ := os.ReadFile(filepath.Join(dir, b))
	os.WriteFile(filepath.Join(dir, l0), y, 0o600)
	os.WriteFile(filepath.Join(dir, b), x, 0o600)
	for _, ro := range []bool{true, false} {
		_, err = Open(dir, key, Options{ReadOnly: ro})
		var de *DamageError
		if !errors.As(err, &de) {
			t.Fatalf("open (read-only %v) of overlapping tables: %v, want damage", ro, err)
		}
		// b's file, now holding a…, overlaps a's table on its level.
		if !strings.Contains(err.Error(), b) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "00000000") {
			t.Errorf("damage %q: want %s named on one line, no key dump", err, b)
		}
	}
	t.Log(err)
}
