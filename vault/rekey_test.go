package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

var testPass = []byte("correct horse battery staple")

func newTestVault(t testing.TB) *Vault {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := Init(dir, InitOptions{Org: "Test Group", Classic: true, Passphrase: testPass, Options: Options{Author: "tester"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func reopen(t testing.TB, v *Vault) *Vault {
	t.Helper()
	dir := v.Dir()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	nv, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return bytes.Clone(testPass), nil }}, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nv.Close() })
	return nv
}

func testCase(t testing.TB, name, native, status string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(fmt.Sprintf("schema: case.v1\nperson:\n  name: %s\n  name_native: %s\n  region: Omsk\nstatus: %s\n", name, native, status)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// vaultContent is everything a reader can get out of a vault: every
// revision of every case, the summaries, search results and the audit log.
func vaultContent(t testing.TB, v *Vault, searches ...string) string {
	t.Helper()
	var b strings.Builder
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		h, err := v.History(id)
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		for _, r := range h {
			fmt.Fprintf(&b, "rev %s %d %s %s %s %s\n", r.CaseID, r.Rev, r.Time, r.Author, r.SHA256, r.Doc)
		}
	}
	list, err := v.ListCases(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "list %+v\n", list)
	for _, q := range searches {
		s, err := v.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "search %q %+v\n", q, s)
	}
	return b.String()
}

func auditOps(t testing.TB, v *Vault) []string {
	t.Helper()
	var ops []string
	if err := v.AuditEntries(func(e AuditEntry) error {
		ops = append(ops, string(e.Op)+" "+strings.Join(e.Targets, ","))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	return ops
}

func storeDirs(t testing.TB, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "db-*"))
	return m
}

func TestRekeyKeepsContent(t *testing.T) {
	v := newTestVault(t)
	a, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван Петров", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(a, testCase(t, "Ivan Petrov", "Иван Петров", "sentenced")); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, err := v.AddCase(testCase(t, fmt.Sprintf("Person %d", i), "Пётр", "pretrial")); err != nil {
			t.Fatal(err)
		}
	}
	searches := []string{"иван", "петр", "status:sentenced", "status:pretrial", "omsk"}
	before := vaultContent(t, v, searches...)
	opsBefore := auditOps(t, v)
	oldStore := v.dbName
	oldIndex := v.keys.index

	st, err := v.Rekey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Cases != 31 || st.OldStore != oldStore || st.NewStore == oldStore {
		t.Fatalf("stats %+v", st)
	}
	if v.keys.index == oldIndex {
		t.Fatal("index key did not change")
	}
	if got := vaultContent(t, v, searches...); got != before {
		t.Fatalf("content changed by rekey:\nbefore %s\nafter  %s", before, got)
	}
	if d := storeDirs(t, v.Dir()); len(d) != 1 || filepath.Base(d[0]) != st.NewStore {
		t.Fatalf("store directories after rekey: %v", d)
	}
	v = reopen(t, v)
	if got := vaultContent(t, v, searches...); got != before {
		t.Fatalf("content changed after reopening:\nbefore %s\nafter  %s", before, got)
	}
	ops := auditOps(t, v)
	if len(ops) != len(opsBefore)+1 || ops[len(ops)-1] != "vault.rekey " {
		t.Fatalf("audit after rekey: %q", ops)
	}
	// Still writable, and a second rekey works.
	if _, err := v.AddCase(testCase(t, "After Rekey", "После", "released")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, err := v.Search("после"); err != nil || len(s) != 1 {
		t.Fatalf("search after two rekeys: %v %v", s, err)
	}
}

func TestPurge(t *testing.T) {
	v := newTestVault(t)
	keep, err := v.AddCase(testCase(t, "Keep Me", "Оставить", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	gone, err := v.AddCase(testCase(t, "Zorro Purgeable", "Зорро", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(gone, testCase(t, "Zorro Purgeable", "Зорро", "sentenced")); err != nil {
		t.Fatal(err)
	}
	keptEv, err := v.AddEvidence(context.Background(), keep, bytes.NewReader([]byte("kept evidence")), EvidenceInput{Name: "kept.txt"})
	if err != nil {
		t.Fatal(err)
	}
	goneEv, err := v.AddEvidence(context.Background(), gone, bytes.NewReader(bytes.Repeat([]byte("purged evidence "), 100000)), EvidenceInput{Name: "gone.txt"})
	if err != nil {
		t.Fatal(err)
	}
	var goneBlobs []string
	_ = v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, gone)
		if err == nil {
			goneBlobs, err = v.caseBlobFiles(txn, gone, dk)
		}
		return err
	})
	if len(goneBlobs) != 1 {
		t.Fatalf("evidence files of the case: %v", goneBlobs)
	}
	head, _ := v.Case(gone)
	// The raw old store holds the purged case's sealed key; keep a copy of
	// the whole directory as an adversary would after the purge.
	oldStore := filepath.Join(v.Dir(), v.dbName)
	oldCaseKEK := v.keys.caseKEK

	if _, err := v.Purge(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Case(gone); !IsNotFound(err) {
		t.Fatalf("purged case still readable: %v", err)
	}
	if s, _ := v.Search("zorro"); len(s) != 0 {
		t.Fatalf("purged case still found: %v", s)
	}
	if _, err := v.Case(keep); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(goneBlobs[0]); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("evidence file of the purged case left behind: %v", err)
	}
	if _, err := v.Evidence(mustEvid(t, goneEv.ID)); !IsNotFound(err) {
		t.Fatalf("purged evidence still listed: %v", err)
	}
	if _, err := os.Stat(oldStore); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old store left behind: %v", err)
	}
	if v.keys.caseKEK == oldCaseKEK {
		t.Fatal("case KEK not rotated")
	}
	// Nothing of the purged case is in the new store: no key holds its ID.
	err = v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if bytes.Contains(it.Item().Key(), gone[:]) {
				return fmt.Errorf("key %x of the purged case remains", it.Item().Key())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v)
	ops := auditOps(t, v)
	last := ops[len(ops)-1]
	if last != "case.purge "+gone.String() {
		t.Fatalf("last audit entry %q", last)
	}
	var lastEntry AuditEntry
	_ = v.AuditEntries(func(e AuditEntry) error { lastEntry = e; return nil })
	if lastEntry.ContentSHA256 != head.SHA256 {
		t.Fatalf("purge entry hash %s, want the head revision's %s", lastEntry.ContentSHA256, head.SHA256)
	}
	if _, err := v.Purge(context.Background(), gone); !IsNotFound(err) {
		t.Fatalf("second purge: %v", err)
	}
	var got bytes.Buffer
	if _, err := v.ReadEvidence(context.Background(), mustEvid(t, keptEv.ID), &got); err != nil || got.String() != "kept evidence" {
		t.Fatalf("kept evidence after purge: %q %v", got.String(), err)
	}
	// No file of the vault directory contains the purged case's ID bytes
	// (IDs are stored raw in keys; Badger encrypts them at rest anyway).
	filepath.WalkDir(v.Dir(), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, gone[:]) || bytes.Contains(b, []byte(gone.String())) {
				t.Errorf("%s contains the purged case ID", p)
			}
		}
		return nil
	})
}

// TestRekeyLeftoverStore: a crash before the commit point leaves the new
// store as a leftover, which the next open shreds; the vault is the old one.
func TestRekeyLeftoverStore(t *testing.T) {
	v := newTestVault(t)
	if _, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван", "pretrial")); err != nil {
		t.Fatal(err)
	}
	before := vaultContent(t, v, "иван")
	cur := v.dbName
	// A half-written new store, as a crash during the copy leaves it.
	junk := filepath.Join(v.Dir(), "db-deadbeef")
	if err := os.MkdirAll(junk, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(junk, "000001.vlog"), []byte("half written"), 0o600)
	v = reopen(t, v)
	if v.dbName != cur {
		t.Fatalf("store %s, want %s", v.dbName, cur)
	}
	if _, err := os.Stat(junk); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("leftover store not removed: %v", err)
	}
	if got := vaultContent(t, v, "иван"); got != before {
		t.Fatalf("content changed")
	}
}

func mustEvid(t testing.TB, s string) EvidenceID {
	t.Helper()
	e, err := ParseEvidenceID(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
