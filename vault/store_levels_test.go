package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vaultView is what a user reads of a vault: the list, a search, and every
// case's current revision.
func vaultView(t *testing.T, dir string, ids []CaseID) string {
	t.Helper()
	v, err := Open(dir, corePassphrase(corePass), Options{Author: "tester", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	var b strings.Builder
	l, err := v.ListCases(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(l)
	b.Write(j)
	for _, q := range []string{"Omsk", "Kazan", "colony"} {
		err := v.SearchCases(context.Background(), q, Filter{}, SearchOptions{}, func(h Hit) error {
			fmt.Fprintf(&b, "\n%s %s %s %v", q, h.ID, h.Name, h.Fields)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		r, err := v.Case(id)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(r)
		b.Write(j)
	}
	return b.String()
}

// Two table files of a vault swapped between levels (level 0, holding the
// newest revisions, and the last level): what the user reads stays the
// same (Badger takes the newest version whatever the level), but check,
// which passed before, reports store damage naming both tables (exit 8).
func TestSwappedTablesFoundByCheck(t *testing.T) {
	dir, v := coreInit(t, true)
	var ids []CaseID
	for r := 0; r < 4; r++ {
		for i := 0; i < 10; i++ {
			ids = append(ids, coreAdd(t, v, fmt.Sprintf("person: {name: Person %d %d, region: Omsk region, occupation: colony worker %d}\n", r, i, i)))
		}
		v.Close()
		v = coreOpen(t, dir)
	}
	if err := v.db.Flatten(); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:15] {
		if _, err := v.UpdateCase(id, coreCase(t, fmt.Sprintf("person: {name: Renamed %s, region: Kazan}\n", id))); err != nil {
			t.Fatal(err)
		}
	}
	v.Close() // the updates go to a level-0 table
	v = coreOpen(t, dir)
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check of the vault as made: %v %v", err, rep)
	}
	var upper, lower string
	for _, ti := range v.db.Tables() {
		if ti.Level == 0 {
			upper = fmt.Sprintf("%06d.sst", ti.ID)
		} else {
			lower = fmt.Sprintf("%06d.sst", ti.ID)
		}
	}
	v.Close()
	if upper == "" || lower == "" {
		t.Fatalf("want tables on level 0 (%q) and below (%q)", upper, lower)
	}
	before := vaultView(t, dir, ids)
	if !strings.Contains(before, "\nKazan ") || !strings.Contains(before, "\nOmsk ") || !strings.Contains(before, "Renamed") {
		t.Fatalf("the searches find nothing to compare:\n%s", before)
	}

	sd := storeDir(t, dir)
	a, _ := os.ReadFile(filepath.Join(sd, upper))
	b, _ := os.ReadFile(filepath.Join(sd, lower))
	os.WriteFile(filepath.Join(sd, upper), b, 0o600)
	os.WriteFile(filepath.Join(sd, lower), a, 0o600)

	if after := vaultView(t, dir, ids); after != before {
		t.Errorf("what the user reads changed after the swap")
	}
	r, err := Open(dir, corePassphrase(corePass), Options{Author: "tester", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Check(context.Background(), CheckOptions{})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("check after the swap: %v, want store damage", err)
	}
	if !strings.Contains(err.Error(), upper) || !strings.Contains(err.Error(), lower) {
		t.Errorf("check's damage does not name %s and %s: %v", upper, lower, err)
	}
	t.Log(err)
}
