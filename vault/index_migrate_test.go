package vault

import (
	"context"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// searchIDs returns the IDs SearchCases finds for q, and their fields.
func searchIDs(t *testing.T, v *Vault, q string, o SearchOptions) ([]string, [][]string) {
	t.Helper()
	var ids []string
	var fields [][]string
	err := v.SearchCases(context.Background(), q, Filter{}, o, func(h Hit) error {
		ids = append(ids, h.ID)
		fields = append(fields, h.Fields)
		return nil
	})
	if err != nil {
		t.Fatalf("SearchCases(%q): %v", q, err)
	}
	return ids, fields
}

// TestPreviousVaultIndexMigrates opens the fixture written before index
// format 2: read-only, it is searched by opening every case (the new
// rules hold all the same); the first read-write open rebuilds the index
// (postings with fields, vocabulary), records it in the audit log, and
// check finds it whole.
func TestPreviousVaultIndexMigrates(t *testing.T) {
	dir, _, u := previousVault(t)
	ro, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.indexCurrent {
		t.Fatal("the fixture's index reads as current")
	}
	for _, q := range []string{"Petrov", "petrova", "Ivan Petrov", "ПЕТРОВ*", `"иван петров"`, "Smirnova"} {
		if ids, _ := searchIDs(t, ro, q, SearchOptions{}); len(ids) != 1 {
			t.Errorf("read-only, before the rebuild: %q found %v", q, ids)
		}
	}
	if ids, _ := searchIDs(t, ro, "редакция", SearchOptions{Field: "notes"}); len(ids) != 1 || ids[0] != prevCase1 {
		t.Errorf("read-only: a word of the confidential notes found %v", ids)
	}
	// The fixture's index has no status postings: listing by status
	// reads the documents.
	if l, err := ro.ListCases(Filter{Status: "sentenced"}); err != nil || len(l) != 1 || l[0].ID != prevCase1 {
		t.Errorf("read-only ListCases(sentenced) = %+v, %v", l, err)
	}
	ro.Close()

	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if !v.indexCurrent {
		t.Fatal("the index was not rebuilt at the read-write open")
	}
	rebuilt := 0
	err = v.AuditEntries(func(e AuditEntry) error {
		if e.Op == "index.rebuild" {
			rebuilt++
		}
		return nil
	})
	if err != nil || rebuilt != 1 {
		t.Fatalf("%d index.rebuild audit entries, %v", rebuilt, err)
	}
	for _, q := range []string{"Petrov", "Петрова", "ПЕТРОВ*", `"иван петров"`, "Smirnova", "Smirnovoi"} {
		if ids, _ := searchIDs(t, v, q, SearchOptions{}); len(ids) != 1 {
			t.Errorf("after the rebuild: %q found %v", q, ids)
		}
	}
	if ids, f := searchIDs(t, v, "редакция", SearchOptions{}); len(ids) != 1 || ids[0] != prevCase1 || len(f[0]) != 1 || f[0][0] != "notes" {
		t.Errorf("after the rebuild: notes word found %v in %v", ids, f)
	}
	var vocab int
	_ = v.view(func(txn *store.Txn) error { vocab = countPrefix(txn, store.PVocab); return nil })
	if vocab == 0 {
		t.Fatal("no vocabulary after the rebuild")
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		if p.Kind == ProblemIndex {
			t.Errorf("check after the rebuild: %s", p)
		}
	}
	if _, err := v.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second open does not rebuild again.
	v.Close()
	v, err = Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = v.AuditEntries(func(e AuditEntry) error {
		if e.Op == "index.rebuild" {
			n++
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d rebuilds after a second open", n)
	}
}
