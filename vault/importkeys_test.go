package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

func writeImport(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func importCounts4(t *testing.T, v *Vault, path, format string) [4]int {
	t.Helper()
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: format})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return [4]int{rep.Added, rep.Updated, rep.Unchanged, rep.Invalid}
}

func auditCount(t *testing.T, v *Vault) int {
	t.Helper()
	n := 0
	if err := v.AuditLog(AuditFilter{}, func(AuditEntry) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReimportNoDuplicates: the same sheet imported again adds nothing
// (CSV, JSON lines, YAML); a changed row updates its case as a new
// revision with an update in the audit log, and keeps what was added to
// the case since in fields the sheet does not have.
func TestReimportNoDuplicates(t *testing.T) {
	for _, tc := range []struct {
		format, first, changed string
	}{
		{FormatCSV,
			"name,birth_date,articles,region,external_id\nIvan Petrov,1981-09-07,207.3 ч.2,Omsk,\nAnna Sidorova,,275,Moscow,\nOleg Orlov,,,Perm,row-7\n",
			"name,birth_date,articles,region,external_id\nIvan Petrov,1981-09-07,ст. 207.3 ч. 2 УК РФ,Tomsk,\nAnna Sidorova,,275,Moscow,\nOleg Orlov,,,Kazan,row-7\n"},
		{FormatJSONL,
			`{"person":{"name":"Ivan Petrov","birth_date":"1981-09-07","region":"Omsk"},"charges":[{"article":"207.3 ч.2"}]}` + "\n" + `{"person":{"name":"Anna Sidorova","region":"Moscow"}}` + "\n" + `{"person":{"name":"Oleg Orlov","region":"Perm"},"external_id":"row-7"}` + "\n",
			`{"person":{"name":"Ivan Petrov","birth_date":"1981-09-07","region":"Tomsk"},"charges":[{"article":"207.3(2)"}]}` + "\n" + `{"person":{"name":"Anna Sidorova","region":"Moscow"}}` + "\n" + `{"person":{"name":"Oleg Orlov","region":"Kazan"},"external_id":"row-7"}` + "\n"},
		{FormatYAML,
			"person: {name: Ivan Petrov, birth_date: 1981-09-07, region: Omsk}\ncharges: [{article: 207.3 ч.2}]\n---\nperson: {name: Anna Sidorova, region: Moscow}\n---\nperson: {name: Oleg Orlov, region: Perm}\nexternal_id: row-7\n",
			"person: {name: Ivan Petrov, birth_date: 1981-09-07, region: Tomsk}\ncharges: [{article: 207.3(2)}]\n---\nperson: {name: Anna Sidorova, region: Moscow}\n---\nperson: {name: Oleg Orlov, region: Kazan}\nexternal_id: row-7\n"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			v := newTestVault(t)
			first := writeImport(t, "first."+tc.format, tc.first)
			if got := importCounts4(t, v, first, tc.format); got != [4]int{3, 0, 0, 0} {
				t.Fatalf("first import: added, updated, unchanged, rejected = %v", got)
			}
			entries := auditCount(t, v)
			if got := importCounts4(t, v, first, tc.format); got != [4]int{0, 0, 3, 0} {
				t.Fatalf("same file again: %v, want 0 added, 3 unchanged", got)
			}
			if n := auditCount(t, v); n != entries {
				t.Errorf("an unchanged re-import wrote %d audit entries", n-entries)
			}
			ids, _ := v.CaseIDs()
			if len(ids) != 3 {
				t.Fatalf("%d cases after the re-import, want 3", len(ids))
			}
			// A note added in the vault since: a field the sheet lacks.
			hits, _ := v.Search("ivan petrov")
			ivan, _ := ParseCaseID(hits[0].ID)
			r, _ := v.Case(ivan)
			doc, _ := r.Case()
			doc.Doc["notes"] = "lawyer visit on Monday"
			if _, err := v.UpdateCase(ivan, doc); err != nil {
				t.Fatal(err)
			}

			changed := writeImport(t, "changed."+tc.format, tc.changed)
			if got := importCounts4(t, v, changed, tc.format); got != [4]int{0, 2, 1, 0} {
				t.Fatalf("changed file: %v, want 2 updated (Ivan's region, Oleg's region by external_id), 1 unchanged", got)
			}
			r, _ = v.Case(ivan)
			doc, _ = r.Case()
			person := doc.Doc["person"].(map[string]any)
			if r.Rev != 3 || r.Op != OpCaseUpdate || person["region"] != "Tomsk" || doc.Doc["notes"] != "lawyer visit on Monday" {
				t.Fatalf("Ivan after the changed import: rev %d op %s region %v notes %v", r.Rev, r.Op, person["region"], doc.Doc["notes"])
			}
			ch := doc.Doc["charges"].([]any)[0].(map[string]any)
			if ch["code"] != "RU-CC" || ch["article"] != "207.3(2)" {
				t.Errorf("charge %v, want RU-CC 207.3(2)", ch)
			}
			if ids, _ := v.CaseIDs(); len(ids) != 3 {
				t.Fatalf("%d cases after the changed import, want 3", len(ids))
			}
			if hits, _ := v.Search("kazan"); len(hits) != 1 {
				t.Errorf("the row with external_id row-7 did not update its case: %v", hits)
			}
			if got := importCounts4(t, v, changed, tc.format); got != [4]int{0, 0, 3, 0} {
				t.Fatalf("changed file again: %v", got)
			}
		})
	}
}

// TestReimportExternalIDOtherPerson: another sheet reuses external_id "1"
// for another person; the record is refused as a conflict and the case of
// the first person is left exactly as it was (no merged record).
func TestReimportExternalIDOtherPerson(t *testing.T) {
	for _, tc := range []struct{ name, second, reason string }{
		{"other name and birth date", "external_id,name,birth_date,region\n1,Olga Sokolova,1990-05-05,Perm\n", "external_id 1 names Ivan Petrov in this vault, not Olga Sokolova"},
		{"other word form", "external_id,name,region\n1,Ivana Petrova,Perm\n", "not Ivana Petrova"},
		{"other birth date", "external_id,name,birth_date,region\n1,Ivan Petrov,1991-01-01,Perm\n", "born 1980-01-01 in this vault, not born 1991-01-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVault(t)
			first := writeImport(t, "x1.csv", "external_id,name,birth_date,region,occupation,articles\n1,Ivan Petrov,1980-01-01,Omsk,teacher,275\n")
			if got := importCounts4(t, v, first, FormatCSV); got != [4]int{1, 0, 0, 0} {
				t.Fatalf("first import: %v", got)
			}
			ids, _ := v.CaseIDs()
			before, _ := v.Case(ids[0])
			second := writeImport(t, "x2.csv", tc.second)
			rep, err := v.Import(context.Background(), second, ImportOptions{Format: FormatCSV})
			if !errors.Is(err, ErrImportConflicts) {
				t.Fatalf("err = %v, want ErrImportConflicts", err)
			}
			if rep.Conflicts != 1 || rep.Updated != 0 || rep.Added != 0 || len(rep.Rejected) != 1 || !strings.Contains(rep.Rejected[0].Reason, tc.reason) {
				t.Fatalf("report %+v, want 1 conflict naming %q", rep, tc.reason)
			}
			after, _ := v.Case(ids[0])
			if after.Rev != before.Rev || !bytes.Equal(after.Doc, before.Doc) {
				t.Fatalf("the case changed: rev %d → %d\n%s", before.Rev, after.Rev, after.Doc)
			}
			if ids, _ := v.CaseIDs(); len(ids) != 1 {
				t.Fatalf("%d cases, want 1", len(ids))
			}
		})
	}
	// The same person, written in another script and case: an update.
	v := newTestVault(t)
	first := writeImport(t, "x1.csv", "external_id,name,birth_date,region\n1,Ivan Petrov,1980-01-01,Omsk\n")
	importCounts4(t, v, first, FormatCSV)
	second := writeImport(t, "x2.csv", "external_id,name,birth_date,region\n1,ИВАН ПЕТРОВ,1980-01-01,Tomsk\n")
	if got := importCounts4(t, v, second, FormatCSV); got != [4]int{0, 1, 0, 0} {
		t.Fatalf("same person in Cyrillic: %v, want 1 updated", got)
	}
}

// TestReimportExternalIDsDiffer: two records with the same name but
// different external IDs are two cases.
func TestReimportExternalIDsDiffer(t *testing.T) {
	v := newTestVault(t)
	p := writeImport(t, "x.csv", "name,external_id\nIvan Petrov,a-1\nIvan Petrov,a-2\n")
	if got := importCounts4(t, v, p, FormatCSV); got != [4]int{2, 0, 0, 0} {
		t.Fatalf("%v, want 2 added", got)
	}
	if got := importCounts4(t, v, p, FormatCSV); got != [4]int{0, 0, 2, 0} {
		t.Fatalf("again: %v, want 2 unchanged", got)
	}
}

// TestReimportPreviousVault: a vault of the previous version has cases
// imported without key records; the first re-import after the upgrade
// finds them by the hash instead of adding them again, and writes their
// key records.
func TestReimportPreviousVault(t *testing.T) {
	dir, _, u := previousVault(t)
	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	before, _ := v.CaseIDs()
	// The line the fixture's program imported (mkfixture.go.txt).
	p := writeImport(t, "import.jsonl", `{"schema":"case.v1","person":{"name":"Пётр Imported & <Co>"},"status":"pretrial"}`+"\n")
	if got := importCounts4(t, v, p, FormatJSONL); got != [4]int{0, 0, 1, 0} {
		t.Fatalf("re-import into the previous vault: %v, want 1 unchanged", got)
	}
	after, _ := v.CaseIDs()
	if len(after) != len(before) {
		t.Fatalf("%d cases before, %d after", len(before), len(after))
	}
	if n := len(coreKeys(t, v, []byte{pImportKey})); n != 1 {
		t.Errorf("%d import key records after the first re-import, want 1", n)
	}
	if got := importCounts4(t, v, p, FormatJSONL); got != [4]int{0, 0, 1, 0} {
		t.Fatalf("second re-import: %v", got)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, rep)
	}
}

// TestPurgeRemovesImportKeys: after purge no import key record names the
// purged case (one that could confirm who was in the vault), and the
// record imports as a new case.
func TestPurgeRemovesImportKeys(t *testing.T) {
	v := newTestVault(t)
	p := writeImport(t, "x.csv", "name,birth_date,external_id\nIvan Petrov,1981-09-07,r1\nAnna Sidorova,,\n")
	importCounts4(t, v, p, FormatCSV)
	hits, _ := v.Search("ivan")
	ivan, _ := ParseCaseID(hits[0].ID)
	if _, err := v.Purge(context.Background(), ivan); err != nil {
		t.Fatal(err)
	}
	var named []string
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pImportKey}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			sealed, _ := it.Item().ValueCopy(nil)
			var rec importKeyRecord
			if err := openJSON(k, v.keys.index, sealed, &rec); err != nil {
				return err
			}
			named = append(named, rec.Case)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(named) != 1 || strings.Contains(strings.Join(named, ","), ivan.String()) {
		t.Fatalf("import key records after purge name %v (purged %s)", named, ivan)
	}
	if got := importCounts4(t, v, p, FormatCSV); got != [4]int{1, 0, 1, 0} {
		t.Fatalf("re-import after purge: %v, want Ivan added again and Anna unchanged", got)
	}
}

// TestRemoveCaseRemovesImportKeys: case rm deletes the import key records
// of the case; the record then imports as a new case.
func TestRemoveCaseRemovesImportKeys(t *testing.T) {
	v := newTestVault(t)
	p := writeImport(t, "x.csv", "name,external_id\nIvan Petrov,r1\nAnna Sidorova,\n")
	importCounts4(t, v, p, FormatCSV)
	if n := len(coreKeys(t, v, []byte{pImportKey})); n != 3 {
		t.Fatalf("%d import key records, want 3 (Ivan's external ID and hash, Anna's hash)", n)
	}
	hits, _ := v.Search("ivan")
	ivan, _ := ParseCaseID(hits[0].ID)
	if err := v.RemoveCase(ivan); err != nil {
		t.Fatal(err)
	}
	if n := len(coreKeys(t, v, []byte{pImportKey})); n != 1 {
		t.Fatalf("%d import key records after case rm, want 1", n)
	}
	if got := importCounts4(t, v, p, FormatCSV); got != [4]int{1, 0, 1, 0} {
		t.Fatalf("re-import after rm: %v", got)
	}
}

// TestImportFindsCaseAddedByHand: a case added by hand (no import key
// record) with an external ID is the case an import's record of that ID
// updates, in a file whose other records are new, and a second import
// finds unchanged; a record of that ID naming another person is a
// conflict; a record with another ID and the same name is another case.
func TestImportFindsCaseAddedByHand(t *testing.T) {
	v := newTestVault(t)
	id := coreAdd(t, v, "external_id: MEM-0042\nperson:\n  name: Ivan Petrov\n  birth_date: \"1980-02-03\"\n")
	p := writeImport(t, "a.jsonl", `{"external_id":"MEM-0042","person":{"name":"Иван Петров","birth_date":"1980-02-03","region":"Omsk"},"status":"sentenced"}`+"\n"+
		`{"external_id":"MEM-0043","person":{"name":"Olga Sokolova"}}`+"\n")
	if got := importCounts4(t, v, p, FormatJSONL); got != [4]int{1, 1, 0, 0} {
		t.Fatalf("import: %v, want 1 added (MEM-0043) and 1 updated (MEM-0042)", got)
	}
	c, err := v.Case(id)
	if err != nil || c.Rev != 2 || !strings.Contains(string(c.Doc), "sentenced") {
		t.Fatalf("the case added by hand: rev %d, %v\n%s", c.Rev, err, c.Doc)
	}
	if got := importCounts4(t, v, p, FormatJSONL); got != [4]int{0, 0, 2, 0} {
		t.Fatalf("again: %v, want 2 unchanged", got)
	}
	if ids, _ := v.CaseIDs(); len(ids) != 2 {
		t.Fatalf("%d cases, want 2", len(ids))
	}

	other := coreAdd(t, v, "external_id: MEM-0050\nperson:\n  name: Pavel Orlov\n  birth_date: \"1975-01-01\"\n")
	before, _ := v.Case(other)
	q := writeImport(t, "b.jsonl", `{"external_id":"MEM-0050","person":{"name":"Olga Sokolova","birth_date":"1990-05-05"}}`+"\n"+
		`{"external_id":"MEM-0051","person":{"name":"Pavel Orlov","birth_date":"1975-01-01"}}`+"\n")
	rep, err := v.Import(context.Background(), q, ImportOptions{Format: FormatJSONL})
	if !errors.Is(err, ErrImportConflicts) || rep.Conflicts != 1 || rep.Added != 1 || rep.Updated != 0 {
		t.Fatalf("another person under MEM-0050: %+v, %v; want 1 conflict and MEM-0051 added", rep, err)
	}
	if after, _ := v.Case(other); after.Rev != before.Rev {
		t.Fatalf("the case of MEM-0050 changed: rev %d → %d", before.Rev, after.Rev)
	}

	// Two cases added by hand with one external ID: a record of the one
	// with the larger ID is not refused as the other person's (it is a
	// case of its own, as before external IDs of such cases were matched).
	a := coreAdd(t, v, "external_id: DUP-1\nperson:\n  name: Alpha One\n")
	b := coreAdd(t, v, "external_id: DUP-1\nperson:\n  name: Beta Two\n")
	name := "Alpha One"
	if bytes.Compare(a[:], b[:]) < 0 {
		name = "Beta Two"
	}
	d := writeImport(t, "d.jsonl", `{"external_id":"DUP-1","person":{"name":"`+name+`"}}`+"\n")
	rep, err = v.Import(context.Background(), d, ImportOptions{Format: FormatJSONL})
	if err != nil || rep.Conflicts != 0 || rep.Added != 1 {
		t.Fatalf("%s under the shared DUP-1: %+v, %v; want added, no conflict", name, rep, err)
	}
}
