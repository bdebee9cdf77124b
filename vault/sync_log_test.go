package vault

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
)

// TestSyncLooksOnlyAtChanges: after the first sync, a sync with one case
// changed reads the journal of that case only (the change log and the
// remote's cursor), uploads it, and the other copy applies it; a sync with
// nothing changed looks at no case at all.
func TestSyncLooksOnlyAtChanges(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "changes")
	var ids []CaseID
	for i := 0; i < 30; i++ {
		ids = append(ids, coreAdd(t, a, syncCase(fmt.Sprintf("Olga Sidorova %d", i))))
	}
	if rep := mustSync(t, a); rep.Examined != 30 || rep.CasesUp != 30 {
		t.Fatalf("first sync: %+v", rep)
	}
	if rep := mustSync(t, b); rep.CasesDown != 30 {
		t.Fatalf("B's first sync: %+v", rep)
	}
	if rep := mustSync(t, a); rep.Examined != 0 || rep.PacksUp != 0 {
		t.Fatalf("idle sync: %+v", rep)
	}
	if _, err := a.UpdateCase(ids[7], coreCase(t, syncCase("Olga Sidorova Seven"))); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, a)
	if rep.Examined != 1 || rep.CasesUp != 1 || rep.PacksUp != 1 {
		t.Fatalf("one change: %+v", rep)
	}
	if rep := mustSync(t, b); rep.CasesDown != 1 || rep.PacksDown != 1 {
		t.Fatalf("B after one change: %+v", rep)
	}
	if caseDocSHA(t, a, ids[7]) != caseDocSHA(t, b, ids[7]) {
		t.Fatal("the change did not reach B")
	}
	// B examined the case it applied (the log names it) and found the
	// remote has it: nothing goes back.
	if rep := mustSync(t, b); rep.PacksUp != 0 || rep.Examined > 1 {
		t.Fatalf("B's next sync: %+v", rep)
	}
	syncClean(t, a, b)
}

// TestSyncListsOnlyNewObjects: a pull lists only the names after where the
// last listing started (less a margin): an object named for an hour
// before it is not even listed; a full sync lists and refuses it.
func TestSyncListsOnlyNewObjects(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "listing")
	coreAdd(t, a, syncCase("Listing Person"))
	mustSync(t, a)
	mustSync(t, b)
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	old := syncfmt.NewNameAt(time.Now().Add(-time.Hour))
	junk := bytes.Repeat([]byte{7}, 3000)
	if _, err := c.PutObject(context.Background(), "listing", "casevault/org1/"+old, bytes.NewReader(junk), int64(len(junk)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, b)
	if len(rep.Refused) != 0 || rep.Listed != 1 {
		t.Fatalf("a name older than the cursor was looked at: %+v", rep)
	}
	rep, err = b.Sync(context.Background(), "org", SyncHooks{Full: true})
	if err == nil || len(rep.Refused) != 1 || rep.Refused[0] != old {
		t.Fatalf("full sync: %+v %v", rep, err)
	}
}

// stripSyncLog removes what this version adds to the sync journal (the
// change log and the cursors): the state a vault synced by the previous
// version is in.
func stripSyncLog(t *testing.T, v *Vault) {
	t.Helper()
	err := v.db.Update(func(txn *store.Txn) error {
		for _, p := range []byte{store.PChange, store.PSyncMark} {
			var ks [][]byte
			if err := eachKey(txn, []byte{p}, false, func(k []byte, _ *store.Item) error { ks = append(ks, k); return nil }); err != nil {
				return err
			}
			for _, k := range ks {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSyncFromPreviousVersion: two copies synced by the previous version
// (no change log, no cursor; a pack on the store under a random name of
// the previous form that sorts before every new one) go on syncing: the
// first sync of each looks at every case and lists every object, then only
// at changes.
func TestSyncFromPreviousVersion(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "previous")
	var ids []CaseID
	for i := 0; i < 4; i++ {
		ids = append(ids, coreAdd(t, a, syncCase(fmt.Sprintf("Pavel Orlov %d", i))))
	}
	mustSync(t, a)
	mustSync(t, b)
	// A pack another copy of the previous version uploaded: random name
	// "00…", below every name this version makes.
	r, err := a.Remote("org")
	if err != nil {
		t.Fatal(err)
	}
	peer := NewCaseID()
	es := syncPeerPack(t, a, peer, crypto.NewKey(), 1, "Previous Peer", nil, "")
	name := "0000" + syncfmt.NewName()[4:]
	sealed := a.syncKeys().Seal(name, syncfmt.KindPack, syncfmt.EncodePack(es))
	c, _ := s.Client()
	if _, err := c.PutObject(context.Background(), "previous", "casevault/org1/"+name, bytes.NewReader(sealed), int64(len(sealed)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	_ = r
	stripSyncLog(t, a)
	stripSyncLog(t, b)
	if _, err := a.UpdateCase(ids[2], coreCase(t, syncCase("Pavel Orlov Two"))); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, a)
	if rep.Examined != 5 || rep.CasesUp != 1 || rep.CasesDown != 1 { // 4 and the pulled one
		t.Fatalf("A's first sync by this version: %+v", rep)
	}
	rep = mustSync(t, b)
	if rep.CasesDown != 2 {
		t.Fatalf("B's first sync by this version: %+v", rep)
	}
	for _, id := range []CaseID{ids[2], peer} {
		if caseDocSHA(t, a, id) != caseDocSHA(t, b, id) {
			t.Fatalf("case %s differs", id)
		}
	}
	if _, err := b.UpdateCase(ids[3], coreCase(t, syncCase("Pavel Orlov Three"))); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, b); rep.Examined > 3 || rep.CasesUp != 1 {
		t.Fatalf("B's next sync: %+v", rep)
	}
	if rep := mustSync(t, a); rep.CasesDown != 1 {
		t.Fatalf("A's next sync: %+v", rep)
	}
	syncClean(t, a, b)
}

// bucketNames lists the object names under the test remote's prefix.
func bucketNames(t *testing.T, s interface {
	Client() (*minio.Client, error)
}, bucket string) map[string]bool {
	t.Helper()
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for o := range c.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Prefix: "casevault/org1/"}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		out[strings.TrimPrefix(o.Key, "casevault/org1/")] = true
	}
	return out
}

// TestSyncCarriesRemoval: 'case rm' on one copy removes the case on the
// other at its next sync (revisions, evidence, index), the pack and blob
// that held only that case are deleted from the store, a later pull of the
// old pack (put back on the store) does not bring it back, and an edit the
// other copy made meanwhile does not either.
func TestSyncCarriesRemoval(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "removal")
	keep := coreAdd(t, a, syncCase("Kept Person"))
	mustSync(t, a)
	before := bucketNames(t, s, "removal")
	gone := coreAdd(t, a, syncCase("Removed Person"))
	content := []byte(strings.Repeat("witness statement ", 3000))
	if _, err := a.AddEvidence(context.Background(), gone, bytes.NewReader(content), EvidenceInput{Name: "statement.txt"}); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, a); rep.PacksUp != 1 || rep.BlobsUp != 1 {
		t.Fatalf("sync of the case to remove: %+v", rep)
	}
	var goneObjs []string
	for n := range bucketNames(t, s, "removal") {
		if !before[n] {
			goneObjs = append(goneObjs, n)
		}
	}
	if len(goneObjs) != 2 {
		t.Fatalf("objects of the removed case: %v", goneObjs)
	}
	c, _ := s.Client()
	saved := map[string][]byte{}
	for _, n := range goneObjs {
		o, err := c.GetObject(context.Background(), "removal", "casevault/org1/"+n, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(o); err != nil {
			t.Fatal(err)
		}
		saved[n] = buf.Bytes()
	}
	if rep := mustSync(t, b); rep.CasesDown != 2 {
		t.Fatalf("B's first sync: %+v", rep)
	}
	if err := a.RemoveCase(gone); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, a)
	if rep.PacksUp != 1 || rep.Deleted != 2 {
		t.Fatalf("sync after rm: %+v", rep)
	}
	now := bucketNames(t, s, "removal")
	for _, n := range goneObjs {
		if now[n] {
			t.Fatalf("object %s of the removed case is still on the store", n)
		}
	}
	// B edits the case before it hears of the removal: the removal wins.
	if _, err := b.UpdateCase(gone, coreCase(t, syncCase("Removed Person Edited"))); err != nil {
		t.Fatal(err)
	}
	rep = mustSync(t, b)
	if len(rep.Removed) != 1 || rep.Removed[0] != gone.String() {
		t.Fatalf("B's sync after A's rm: %+v", rep)
	}
	if _, err := b.Case(gone); err == nil {
		t.Fatal("the removed case is still on B")
	}
	if hits, _ := b.Search("Removed"); len(hits) != 0 {
		t.Fatalf("the removed case is still in B's index: %v", hits)
	}
	if ids, _ := b.CaseIDs(); len(ids) != 1 || ids[0] != keep {
		t.Fatalf("cases on B: %v", ids)
	}
	// The old pack and blob put back: a full pull applies nothing of it.
	for n, data := range saved {
		if _, err := c.PutObject(context.Background(), "removal", "casevault/org1/"+n, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []*Vault{a, b} {
		if _, err := v.Sync(context.Background(), "org", SyncHooks{Full: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Case(gone); err == nil {
			t.Fatalf("the removed case came back on %s", v.Dir())
		}
	}
	// A copy that never saw the case (restored before it existed) pulls
	// the old pack and the tombstone, in whichever order: no case.
	syncClean(t, a, b)
}

// TestPurgeAfterRemove: a case removed with 'case rm' (here, or by
// another copy through sync) can be purged: the store that may still hold
// its deleted records is replaced by a rekeyed copy, no key names the case
// (the tombstone is left out too), and check and the audit chain stay
// clean. An ID never seen is still "not found".
func TestPurgeAfterRemove(t *testing.T) {
	_, v := coreInit(t, true)
	id := coreAdd(t, v, syncCase("Purged Later"))
	keep := coreAdd(t, v, syncCase("Kept"))
	if err := v.RemoveCase(id); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Purge(context.Background(), id); err != nil {
		t.Fatalf("purge of a removed case: %v", err)
	}
	if err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if bytes.Contains(it.Item().Key(), id[:]) {
				return fmt.Errorf("key %x of the purged case remains", it.Item().Key())
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := v.CaseIDs(); len(ids) != 1 || ids[0] != keep {
		t.Fatalf("cases: %v", ids)
	}
	if _, err := v.Purge(context.Background(), NewCaseID()); err == nil {
		t.Fatal("purge of an unknown case succeeded")
	}
	syncClean(t, v)
}
