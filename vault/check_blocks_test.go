package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A byte flipped in a data block of a store table: the vault still opens
// (the table's footer and index are whole) and Badger's iterators would
// quietly see less, but check refuses the store as damaged instead of
// reporting "no problems", and backup instead of writing a short backup (attack of session 9: a flipped block hid a
// third of the search postings of a 20,000-case vault from check).
func TestCheckFindsDamagedStoreBlock(t *testing.T) {
	v := newTestVault(t)
	for i := range 300 {
		if _, err := v.AddCase(testCase(t, fmt.Sprintf("Person Number%d", i), fmt.Sprintf("Лицо Номер%d", i), "pretrial")); err != nil {
			t.Fatal(err)
		}
	}
	dir := v.Dir()
	v = reopen(t, v) // the memtable is flushed into a table
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("whole vault: %v %+v", err, rep)
	}
	v.Close()
	ssts, _ := filepath.Glob(filepath.Join(dir, "db-*", "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no store table")
	}
	flipLateBlock(t, ssts[len(ssts)-1])
	v, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return bytes.Clone(testPass), nil }}, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open after a flipped data byte: %v", err)
	}
	defer v.Close()
	_, err = v.Check(context.Background(), CheckOptions{})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("check of a vault with a flipped store block: %v, want a *CorruptError", err)
	}
	if _, err := v.Check(context.Background(), CheckOptions{Repair: true}); !errors.As(err, &ce) {
		t.Fatalf("check --repair of a vault with a flipped store block: %v, want a *CorruptError (nothing repaired)", err)
	}
	var out bytes.Buffer
	if _, err := v.Backup(context.Background(), &out, nil); !errors.As(err, &ce) {
		t.Fatalf("backup of a vault with a flipped store block: %v, want a *CorruptError (not a short backup)", err)
	}
}

// flipLateBlock flips a byte three quarters into the data blocks of the
// table at path (the footer gives where its index starts): later keys, not
// the audit log the open's binding check reads, nor the last block, which
// Badger reads at open.
func flipLateBlock(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := tableIndex(data)
	if idx < 200 {
		t.Fatalf("%s: index at %d", path, idx)
	}
	data[idx*3/4] ^= 0x5a
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
