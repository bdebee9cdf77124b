package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A level-0 table file copied over another level-0 table (atk10): level 0's
// tables overlap, so neither the open nor the order of levels shows it, and
// every record of the table overwritten was gone with check reporting no
// problem (a vault's import table overwritten by its init table: 0 cases,
// "no problems found", exit 0). VerifyLevels reports the two tables as the
// same file; two tables Badger wrote never are.
func TestVerifyLevelsFindsTableCopiedOverAnother(t *testing.T) {
	dir := t.TempDir()
	key, db := newTestStore(t, dir, Options{})
	// Two closes: two level-0 tables (Badger compacts from three).
	for r := 0; r < 2; r++ {
		fillStore(t, db, 200+r*100, func(i int) []byte { return fmt.Appendf(nil, "value %d %d", r, i) })
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		var err error
		if db, err = Open(dir, key, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	var l0 []string
	for _, ti := range db.db.Tables() {
		if ti.Level == 0 {
			l0 = append(l0, tableName(ti.ID))
		}
	}
	if err := db.VerifyLevels(); err != nil {
		t.Fatalf("store as made: %v", err)
	}
	db.Close()
	if len(l0) < 2 {
		t.Fatalf("want two level-0 tables, have %v", l0)
	}
	b, err := os.ReadFile(filepath.Join(dir, l0[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, l0[1]), b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir, key, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.VerifyLevels()
	var de *DamageError
	if !errors.As(err, &de) {
		t.Fatalf("VerifyLevels after a copy over a table: %v, want a *DamageError", err)
	}
	for _, n := range l0[:2] {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("the damage does not name %s: %v", n, err)
		}
	}
}
