package vault

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

func runCheck(t *testing.T, v *Vault, o CheckOptions) *CheckReport {
	t.Helper()
	rep, err := v.Check(context.Background(), o)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return rep
}

// wantProblems requires exactly the problems whose String() contains each
// of want (one problem per entry, in any order).
func wantProblems(t *testing.T, rep *CheckReport, want ...string) {
	t.Helper()
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.String())
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d matching %q", strings.Join(got, "\n"), len(want), want)
	}
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if !used[i] && strings.Contains(g, w) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Fatalf("no problem matching %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func rawUpdate(t *testing.T, v *Vault, fn func(txn *store.Txn) error) {
	t.Helper()
	if err := v.db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func evidenceRec(t *testing.T, v *Vault, e EvidenceID) *evidenceRecord {
	t.Helper()
	var rec *evidenceRecord
	if err := v.view(func(txn *store.Txn) error {
		var err error
		rec, err = v.evidenceRecordOf(txn, e)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestCheckClean(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(randomData(70000)), EvidenceInput{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(c, caseDoc(t, "Ivan Petrovich", m.ID)); err != nil {
		t.Fatal(err)
	}
	addTestCase(t, v, "Anna")
	rep := runCheck(t, v, CheckOptions{ReadData: true})
	wantProblems(t, rep)
	if rep.Cases != 2 || rep.Revisions != 3 || rep.Evidence != 1 || rep.EvidenceBytes != 70000 {
		t.Fatalf("report %+v", rep)
	}
}

func TestCheckRollback(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	if _, err := v.UpdateCase(c, caseDoc(t, "Ivan Petrovich")); err != nil {
		t.Fatal(err)
	}
	other := addTestCase(t, v, "Anna")
	rawUpdate(t, v, func(txn *store.Txn) error { return txn.Delete(revisionKey(c, 2)) })
	rep := runCheck(t, v, CheckOptions{Repair: true})
	// The head is rolled back (not repairable); the index still shows
	// revision 2 and is rebuilt from revision 1.
	wantProblems(t, rep, "rollback (case "+c.String()+"): current revision 1", "index (case "+c.String()+"): summary", "index (case "+c.String()+"): 1 search postings that do not match", "index (case "+c.String()+"): 1 search postings missing", "index: 2 search vocabulary records") // petrovich too many, petrov missing
	if rep.Unrepaired() != 1 {
		t.Fatalf("unrepaired %d", rep.Unrepaired())
	}
	for _, p := range rep.Problems {
		if p.Case == other.String() {
			t.Fatalf("problem reported for an intact case: %v", p)
		}
	}
	// The revision record was not recreated; a second check reports the
	// rollback alone.
	wantProblems(t, runCheck(t, v, CheckOptions{}), "rollback (case "+c.String()+")")
	s, _ := v.Search("petrovich")
	if len(s) != 0 {
		t.Fatal("stale posting still found after repair")
	}
}

func TestCheckIndexesAndOrphans(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	gone := addTestCase(t, v, "Gone Case")
	m, _ := v.AddEvidence(context.Background(), c, bytes.NewReader([]byte("evidence")), EvidenceInput{Name: "a"})
	e, _ := ParseEvidenceID(m.ID)
	mg, _ := v.AddEvidence(context.Background(), gone, bytes.NewReader([]byte("other")), EvidenceInput{Name: "b"})
	eg, _ := ParseEvidenceID(mg.ID)
	goneBlob := evidenceRec(t, v, eg).Blob
	rawUpdate(t, v, func(txn *store.Txn) error {
		// Index damage: summary and evidence index entry deleted, a
		// posting for a word the case does not have.
		if err := txn.Delete(summaryKey(c)); err != nil {
			return err
		}
		if err := txn.Delete(evidenceIndexKey(e)); err != nil {
			return err
		}
		if err := txn.Set(postingKey(v.tokenMAC("nonsense"), c), nil); err != nil {
			return err
		}
		// Case "gone" lost its key (as after a crash of an old version):
		// its records are orphans that nobody can read.
		return txn.Delete(caseKeyKey(gone))
	})
	if err := os.WriteFile(v.blobPath(blobTmpPrefix+"0011"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := runCheck(t, v, CheckOptions{})
	wantProblems(t, rep,
		"index (case "+c.String()+"): case missing from the list summaries",
		"index (case "+c.String()+", evidence "+m.ID+"): evidence missing from the evidence index",
		"index (case "+c.String()+"): 1 search postings",
		"orphan (case "+gone.String()+"): revision of a case that does not exist",
		"orphan (case "+gone.String()+", evidence "+mg.ID+"): evidence record of a case",
		"orphan (case "+gone.String()+", evidence "+mg.ID+"): evidence index entry without",
		"orphan (case "+gone.String()+"): summary of a case that does not exist",
		"orphan (case "+gone.String()+"): ", // N search postings of a case that does not exist (N: its tokens)
		"index: 2 search vocabulary records",
		"orphan: temporary evidence file",
		"orphan: evidence file "+goneBlob,
	)
	if rep.Unrepaired() != len(rep.Problems) {
		t.Fatal("problems marked repaired without --repair")
	}
	rep = runCheck(t, v, CheckOptions{Repair: true})
	if rep.Unrepaired() != 0 {
		t.Fatalf("after repair %d problems left: %v", rep.Unrepaired(), rep.Problems)
	}
	wantProblems(t, runCheck(t, v, CheckOptions{ReadData: true}))
	// What the repair rebuilt works.
	if got, err := v.Evidence(e); err != nil || got.ID != m.ID {
		t.Fatalf("evidence after repair: %v", err)
	}
	if l, _ := v.ListCases(Filter{}); len(l) != 1 || l[0].ID != c.String() {
		t.Fatalf("list after repair: %v", l)
	}
	if s, _ := v.Search("nonsense"); len(s) != 0 {
		t.Fatal("stale posting")
	}
	if names := blobFiles(t, v); len(names) != 1 {
		t.Fatalf("blob files after repair: %v", names)
	}
	// The repair is in the audit log.
	found := false
	v.AuditEntries(func(a AuditEntry) error {
		found = found || a.Op == "check.repair"
		return nil
	})
	if !found {
		t.Fatal("no check.repair audit entry")
	}
}

func TestCheckEvidenceDamage(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	var ids []EvidenceID
	for range 3 {
		m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(randomData(100000)), EvidenceInput{Name: "a"})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := ParseEvidenceID(m.ID)
		ids = append(ids, e)
	}
	// 0: missing; 1: truncated; 2: a flipped byte (found only by reading).
	os.Remove(v.blobPath(evidenceRec(t, v, ids[0]).Blob))
	tamperBlob(t, v, ids[1], func(b []byte) []byte { return b[:len(b)-1] })
	tamperBlob(t, v, ids[2], func(b []byte) []byte { b[len(b)/2] ^= 4; return b })
	wantProblems(t, runCheck(t, v, CheckOptions{}),
		"evidence (case "+c.String()+", evidence "+ids[0].String()+"): its file is missing",
		"evidence (case "+c.String()+", evidence "+ids[1].String()+"): its file has",
	)
	rep := runCheck(t, v, CheckOptions{ReadData: true, Repair: true})
	wantProblems(t, rep,
		"evidence "+ids[0].String()+"): its file is missing",
		"evidence "+ids[1].String()+"): evidence stream",
		"evidence "+ids[2].String()+"): evidence stream",
	)
	// Repair never deletes a record that opens.
	for _, e := range ids {
		if _, err := v.Evidence(e); err != nil {
			t.Fatalf("repair removed evidence %s: %v", e, err)
		}
	}
}

func TestCheckUndecodableEvidenceKeepsBlobs(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	m, _ := v.AddEvidence(context.Background(), c, bytes.NewReader([]byte("x")), EvidenceInput{Name: "a"})
	e, _ := ParseEvidenceID(m.ID)
	rawUpdate(t, v, func(txn *store.Txn) error {
		return txn.Set(evidenceKey(c, e), []byte("garbage that does not open at all, long enough to be a record"))
	})
	rep := runCheck(t, v, CheckOptions{Repair: true})
	wantProblems(t, rep, "record (case "+c.String()+", evidence "+m.ID+")", "has no metadata, but some evidence records do not open")
	if len(blobFiles(t, v)) != 1 {
		t.Fatal("repair removed a blob whose record might be restored")
	}
}
