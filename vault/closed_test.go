package vault

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A vault's methods after Close fail with ErrClosed rather than reach the
// closed store (found by an attack: Search and AddCase dereferenced it and
// panicked). Each call runs on a vault that held a case and an evidence
// item before it was closed.
func TestMethodsAfterCloseFail(t *testing.T) {
	v := newTestVault(t)
	ctx := context.Background()
	id, err := v.AddCase(testCase(t, "Ivan Petrov", "Иван Петров", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddEvidence(ctx, id, strings.NewReader("scan"), EvidenceInput{Name: "scan.txt"}); err != nil {
		t.Fatal(err)
	}
	jsonl := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(jsonl, []byte(`{"schema":"case.v1","person":{"name":"Anna Orlova"},"status":"pretrial"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"AddCase": func() error {
			_, err := v.AddCase(testCase(t, "Anna Orlova", "Анна Орлова", "pretrial"))
			return err
		},
		"UpdateCase": func() error {
			_, err := v.UpdateCase(id, testCase(t, "Ivan Petrov", "Иван Петров", "released"))
			return err
		},
		"RemoveCase":   func() error { return v.RemoveCase(id) },
		"Case":         func() error { _, err := v.Case(id); return err },
		"History":      func() error { _, err := v.History(id); return err },
		"CaseIDs":      func() error { _, err := v.CaseIDs(); return err },
		"CaseNames":    func() error { _, err := v.CaseNames(); return err },
		"ListCases":    func() error { _, err := v.ListCases(Filter{}); return err },
		"Search":       func() error { _, err := v.Search("petrov"); return err },
		"Stats":        func() error { _, err := v.Stats(ctx, Filter{}); return err },
		"EvidenceList": func() error { _, err := v.EvidenceList(id); return err },
		"AddEvidence": func() error {
			_, err := v.AddEvidence(ctx, id, strings.NewReader("more"), EvidenceInput{Name: "more.txt"})
			return err
		},
		"AuditEntries": func() error { return v.AuditEntries(func(AuditEntry) error { return nil }) },
		"VerifyAudit":  func() error { _, err := v.VerifyAudit(ctx); return err },
		"Export":       func() error { _, err := v.Export(ctx, io.Discard); return err },
		"Import":       func() error { _, err := v.Import(ctx, jsonl, ImportOptions{}); return err },
		"Check":        func() error { _, err := v.Check(ctx, CheckOptions{}); return err },
		"Backup":       func() error { _, err := v.Backup(ctx, new(bytes.Buffer), nil); return err },
		"RebuildIndex": func() error { return v.RebuildIndex(ctx) },
		"Rekey":        func() error { _, err := v.Rekey(ctx); return err },
		"Purge":        func() error { _, err := v.Purge(ctx, id); return err },
		"Staff":        func() error { _, err := v.Staff(); return err },
		"Orgs":         func() error { _, err := v.Orgs(true); return err },
		"Agenda":       func() error { _, err := v.Agenda(ctx, "2026-01-01", 30); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s after Close panicked: %v", name, r)
				}
			}()
			if err := call(); !errors.Is(err, ErrClosed) {
				t.Fatalf("%s after Close: %v, want ErrClosed", name, err)
			}
		})
	}
	if n := v.BackupSizeHint(); n != 0 {
		t.Errorf("BackupSizeHint after Close = %d, want 0", n)
	}
}
