package vault

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// syncPeerPack returns the pack another copy of v (same master key) would
// upload for a new case: its key, revision 1 with document doc, and one
// evidence record whose file is in blob object blob.
func syncPeerPack(t *testing.T, v *Vault, id CaseID, dk crypto.Key, rev uint32, name string, parent []byte, blob string) []syncfmt.Entry {
	t.Helper()
	doc := coreCase(t, "person: {name: "+name+"}\nstatus: pretrial\n").Canonical()
	r := &Revision{CaseID: id.String(), Rev: rev, Time: time.Now().UTC().Truncate(time.Second), Author: "peer", Op: OpCaseAdd, SHA256: cases.Hash(doc), Doc: doc}
	enc, err := cases.EncodeRevision(r)
	if err != nil {
		t.Fatal(err)
	}
	es := []syncfmt.Entry{
		{Key: caseKeyKey(id), Value: crypto.WrapKey(v.keys.caseKEK, dk, recordAD(caseKeyKey(id)))},
		{Key: revisionKey(id, rev), Value: crypto.Seal(dk, enc, recordAD(revisionKey(id, rev))), Parent: parent},
	}
	if blob != "" {
		e := NewEvidenceID()
		fk := crypto.NewKey()
		rec := evidenceRecord{EvidenceMeta: EvidenceMeta{ID: e.String(), Case: id.String(), Name: "scan.png", MediaType: "image/png",
			Size: 4, SHA256: "6f1ed002ab5595859014ebf0951522d9" + "6f1ed002ab5595859014ebf0951522d9", Added: time.Now().UTC(), AddedBy: "peer"},
			Blob: "0123456789abcdef0123456789abcdef", FileKey: fk[:]}
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		k := evidenceKey(id, e)
		es = append(es, syncfmt.Entry{Key: k, Value: crypto.Seal(dk, b, recordAD(k)), Blob: blob, Size: 100})
	}
	return es
}

// exerciseSyncKinds writes every record kind of sync without a server:
// a remote (R), a peer's pack applied (J, G, O) and a conflicting
// revision of the same case (Y), through the functions a sync runs.
func exerciseSyncKinds(t *testing.T, v *Vault) {
	t.Helper()
	r, err := v.AddRemote("kinds", "s3://kinds/x", "http://127.0.0.1:9", Credentials{AccessKey: "k", Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	id, dk := NewCaseID(), crypto.NewKey()
	rep := &SyncReport{}
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, syncPeerPack(t, v, id, dk, 1, "Peer Person", nil, syncfmt.NewName()), true, rep); err != nil {
		t.Fatal(err)
	}
	if rep.CasesDown != 1 || rep.EvidenceDown != 1 {
		t.Fatalf("peer pack: %+v", rep)
	}
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, syncPeerPack(t, v, id, dk, 1, "Peer Person Otherwise", nil, ""), true, rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 1 {
		t.Fatalf("conflicting pack: %+v", rep)
	}
	// A second peer case removed here: its tombstone (T); the change log
	// (Q) and the remote's cursor (U).
	gone := NewCaseID()
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, syncPeerPack(t, v, gone, crypto.NewKey(), 1, "Removed Person", nil, ""), true, rep); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveCase(gone); err != nil {
		t.Fatal(err)
	}
	if err := v.saveSyncMark(r, syncMark{Pushed: 1, Scanned: true, After: syncfmt.NameAfter(time.Now())}); err != nil {
		t.Fatal(err)
	}
	// A peer case removed by another copy after evidence was added here:
	// the evidence is held back (H), through what applyTomb calls.
	held := NewCaseID()
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, syncPeerPack(t, v, held, crypto.NewKey(), 1, "Held Person", nil, ""), true, rep); err != nil {
		t.Fatal(err)
	}
	ev, err := v.AddEvidence(context.Background(), held, strings.NewReader("held"), EvidenceInput{Name: "held.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.commit(func(c *change) error {
		got, _, err := c.holdBack(held, &tombstone{Op: "rm", At: time.Now()}, []string{"evidence " + ev.ID})
		if err != nil || len(got) != 1 {
			return fmt.Errorf("held %v: %w", got, err)
		}
		return c.removeCase(held, OpCaseRm)
	}); err != nil {
		t.Fatal(err)
	}
	// A third peer case purged here: its tombstone waits to be sent (N).
	purged := NewCaseID()
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, syncPeerPack(t, v, purged, crypto.NewKey(), 1, "Purged Person", nil, ""), true, rep); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Purge(context.Background(), purged); err != nil {
		t.Fatal(err)
	}
	// An inbox object received (I), recorded as ReceiveBundles does (its
	// path through a real store is in TestInboxNameNeverStandsForPack).
	if err := v.commit(func(c *change) error {
		name := syncfmt.NewName()
		c.audit(OpSyncPull, []string{r.Name, name, "kinds"}, nil)
		return c.putJSON(inboxObjKey(r, name), v.keys.sys, syncObject{Kind: "inbox", Dir: "down", Size: 1, At: v.now()})
	}); err != nil {
		t.Fatal(err)
	}
}

// TestSyncApplyWithoutServer: a peer's pack applies (case, revision,
// evidence stub, index), a second revision 1 of the same case is kept as a
// conflict, the audit chain and check stay clean; a pack with a record
// sealed under another vault's keys is refused whole; revisions of a case
// this copy does not hold, without its key (removed here), are skipped.
func TestSyncApplyWithoutServer(t *testing.T) {
	_, v := coreInit(t, true)
	exerciseSyncKinds(t, v)
	hits, err := v.Search("Peer")
	if err != nil || len(hits) != 1 {
		t.Fatalf("search for the synced case: %v %v", hits, err)
	}
	r, _ := v.Remote("kinds")
	_, other := coreInit(t, true)
	id := NewCaseID()
	es := syncPeerPack(t, other, id, crypto.NewKey(), 1, "Foreign", nil, "")
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, es, true, &SyncReport{}); err == nil {
		t.Fatal("a pack sealed under another vault's keys was applied")
	}
	rep := &SyncReport{}
	if err := v.applyPack(r, syncfmt.NewName(), make([]byte, 32), 10, es[1:], true, rep); err != nil || len(rep.Skipped) != 1 {
		t.Fatalf("revisions of a case without its key (removed here): %v %+v", err, rep)
	}
	if ids, _ := v.CaseIDs(); len(ids) != 1 {
		t.Fatalf("%d cases after refused packs", len(ids))
	}
	syncClean(t, v)
}
