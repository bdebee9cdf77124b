package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

func blobNames(t *testing.T, v *Vault) []string {
	t.Helper()
	ents, err := os.ReadDir(v.blobDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func heldRecords(t *testing.T, v *Vault) int {
	t.Helper()
	n := 0
	if err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{store.PHeld}, false, func([]byte, *store.Item) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func checkClean(t *testing.T, v *Vault) {
	t.Helper()
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Fatalf("check: %+v", rep.Problems)
	}
}

// A removes a case while B edits it and adds evidence: B's sync applies
// the removal but holds B's work back, out of every list and search;
// restored, it is a new case that travels; the removal still stands.
func TestSyncHoldsBackWorkARemovalWouldDelete(t *testing.T) {
	ctx := context.Background()
	s := weedServer(t)
	a, b := syncPair(t, s, "held")
	id := coreAdd(t, a, syncCase("Irina Heldback"))
	mustSync(t, a)
	mustSync(t, b)
	if err := a.RemoveCase(id); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if _, err := b.UpdateCase(id, coreCase(t, syncCase("Irina Heldback Edited"))); err != nil {
		t.Fatal(err)
	}
	ev, err := b.AddEvidence(ctx, id, strings.NewReader("medical report of 3 May"), EvidenceInput{Name: "report.txt", Note: "from the prison doctor"})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, b)
	want := []string{id.String() + " revision 2", id.String() + " evidence " + ev.ID}
	if len(rep.Removed) != 1 || !slices.Equal(rep.Held, want) || len(rep.Discarded) != 0 {
		t.Fatalf("B's sync: removed %v, held %v, discarded %v; want held %v", rep.Removed, rep.Held, rep.Discarded, want)
	}
	// The removed case is gone from B's lists and search.
	ids, err := b.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids, id) {
		t.Fatal("removed case still listed on B")
	}
	if res, err := b.Search("heldback"); err != nil || len(res) != 0 {
		t.Fatalf("search on B finds %v (%v)", res, err)
	}
	if _, err := b.Case(id); !IsNotFound(err) {
		t.Fatalf("removed case on B: %v", err)
	}
	held, err := b.Held()
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 1 || held[0].Case != id.String() || !slices.Equal(held[0].Items, []string{"revision 2", "evidence " + ev.ID}) ||
		len(held[0].Evidence) != 1 || held[0].Evidence[0].Name != "report.txt" {
		t.Fatalf("held on B: %+v", held)
	}
	checkClean(t, b) // the held evidence file is no orphan
	// B's work never reached A: B applied the removal before pushing, and
	// sends nothing of a removed case but its tombstone.
	mustSync(t, a)
	if h, err := a.Held(); err != nil || len(h) != 0 {
		t.Fatalf("held on A: %v %v", h, err)
	}
	// Restored as a new case: last document and evidence, verified.
	nid, err := b.RestoreHeld(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if nid == id {
		t.Fatal("restore reused the removed case's ID")
	}
	r, err := b.Case(nid)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := r.Case(); err != nil || c.Name() != "Irina Heldback Edited" {
		t.Fatalf("restored case: %v %v", c, err)
	}
	evs, err := b.EvidenceList(nid)
	if err != nil || len(evs) != 1 || evs[0].Name != "report.txt" || evs[0].Note != "from the prison doctor" || evs[0].SHA256 != ev.SHA256 {
		t.Fatalf("restored evidence: %+v %v", evs, err)
	}
	var buf bytes.Buffer
	eid, _ := ParseEvidenceID(evs[0].ID)
	if _, err := b.ReadEvidence(ctx, eid, &buf); err != nil || buf.String() != "medical report of 3 May" {
		t.Fatalf("restored evidence reads %q (%v)", buf.String(), err)
	}
	if h, err := b.Held(); err != nil || len(h) != 0 || heldRecords(t, b) != 0 {
		t.Fatalf("held after restore: %v %v", h, err)
	}
	if len(blobNames(t, b)) != 1 {
		t.Fatalf("evidence files after restore: %v (the held one must be gone)", blobNames(t, b))
	}
	checkClean(t, b)
	if _, err := b.RestoreHeld(ctx, id); !IsNotFound(err) {
		t.Fatalf("second restore: %v", err)
	}
	// The new case travels; the old one stays removed everywhere.
	mustSync(t, b)
	mustSync(t, a)
	if _, err := a.Case(nid); err != nil {
		t.Fatalf("restored case on A: %v", err)
	}
	if _, err := a.Case(id); !IsNotFound(err) {
		t.Fatalf("removed case on A: %v", err)
	}
	var ops []string
	if err := b.AuditEntries(func(e AuditEntry) error {
		if e.Op == OpSyncHold || e.Op == OpHeldRestore {
			ops = append(ops, string(e.Op)+" "+strings.Join(e.Targets, " "))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantOps := []string{"sync.hold " + want[0], "sync.hold " + want[1], "held.restore " + id.String() + " " + nid.String()}
	if !slices.Equal(ops, wantOps) {
		t.Fatalf("audit %v, want %v", ops, wantOps)
	}
	syncClean(t, a, b)
}

// Dropped held-back work is gone with its file; a purge of the removed
// case drops its held-back work too, record and file.
func TestHeldWorkDropAndPurge(t *testing.T) {
	ctx := context.Background()
	s := weedServer(t)
	a, b := syncPair(t, s, "helddrop")
	id1 := coreAdd(t, a, syncCase("Oleg Dropped"))
	id2 := coreAdd(t, a, syncCase("Oleg Purged"))
	mustSync(t, a)
	mustSync(t, b)
	for _, id := range []CaseID{id1, id2} {
		if err := a.RemoveCase(id); err != nil {
			t.Fatal(err)
		}
		if _, err := b.AddEvidence(ctx, id, strings.NewReader("photo of "+id.String()), EvidenceInput{Name: "photo.jpg"}); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, a)
	if rep := mustSync(t, b); len(rep.Held) != 2 {
		t.Fatalf("held %v", rep.Held)
	}
	if n := len(blobNames(t, b)); n != 2 {
		t.Fatalf("%d evidence files held, want 2", n)
	}
	if err := b.DropHeld(id1); err != nil {
		t.Fatal(err)
	}
	if err := b.DropHeld(id1); !IsNotFound(err) {
		t.Fatalf("second drop: %v", err)
	}
	if h, _ := b.Held(); len(h) != 1 || h[0].Case != id2.String() {
		t.Fatalf("held after drop: %+v", h)
	}
	if n := len(blobNames(t, b)); n != 1 {
		t.Fatalf("%d evidence files after drop, want 1", n)
	}
	checkClean(t, b)
	if _, err := b.Purge(ctx, id2); err != nil {
		t.Fatal(err)
	}
	if h, _ := b.Held(); len(h) != 0 || heldRecords(t, b) != 0 {
		t.Fatalf("held after purge: %+v", h)
	}
	if names := blobNames(t, b); len(names) != 0 {
		t.Fatalf("evidence files after purge: %v", names)
	}
	checkClean(t, b)
}

// A removal by purge holds nothing back (a purge must leave nothing): the
// work is named as discarded and its evidence file goes with the case.
func TestHoldBackNotForPurge(t *testing.T) {
	ctx := context.Background()
	_, v := coreInit(t, true)
	id := coreAdd(t, v, syncCase("Purged Elsewhere"))
	ev, err := v.AddEvidence(ctx, id, strings.NewReader("note"), EvidenceInput{Name: "note.txt"})
	if err != nil {
		t.Fatal(err)
	}
	lost := []string{"evidence " + ev.ID}
	if err := v.commit(func(c *change) error {
		held, discarded, err := c.holdBack(id, &tombstone{Op: "purge"}, lost)
		if err != nil {
			return err
		}
		if len(held) != 0 || !slices.Equal(discarded, lost) {
			t.Errorf("purge tombstone: held %v, discarded %v", held, discarded)
		}
		return c.removeCase(id, OpCasePurge)
	}); err != nil {
		t.Fatal(err)
	}
	if n := heldRecords(t, v); n != 0 {
		t.Fatalf("%d held records after a purge's removal", n)
	}
	if names := blobNames(t, v); len(names) != 0 {
		t.Fatalf("evidence files left: %v", names)
	}
}

// A held-back evidence file altered on disk is refused on restore: the
// held work stays (the new case keeps its document) and nothing damaged is
// added.
func TestRestoreHeldRefusesAlteredFile(t *testing.T) {
	ctx := context.Background()
	_, v := coreInit(t, true)
	id := coreAdd(t, v, syncCase("Altered Held"))
	ev, err := v.AddEvidence(ctx, id, strings.NewReader(strings.Repeat("statement ", 100)), EvidenceInput{Name: "s.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.commit(func(c *change) error {
		if _, _, err := c.holdBack(id, &tombstone{Op: "rm"}, []string{"evidence " + ev.ID}); err != nil {
			return err
		}
		return c.removeCase(id, OpCaseRm)
	}); err != nil {
		t.Fatal(err)
	}
	names := blobNames(t, v)
	if len(names) != 1 {
		t.Fatalf("held files %v", names)
	}
	p := v.blobPath(names[0])
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	nid, err := v.RestoreHeld(ctx, id)
	var de *EvidenceDamagedError
	if !errors.As(err, &de) {
		t.Fatalf("restore of an altered file: %v", err)
	}
	if evs, err := v.EvidenceList(nid); err != nil || len(evs) != 0 {
		t.Fatalf("new case's evidence %v %v", evs, err)
	}
	if h, err := v.Held(); err != nil || len(h) != 1 {
		t.Fatalf("held after a failed restore: %v %v", h, err)
	}
}
