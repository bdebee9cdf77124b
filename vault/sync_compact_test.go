package vault

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/casevault/casevault/vault/weedtest"
	"github.com/minio/minio-go/v7"
)

// thirdCopy restores one more copy of a (same master key) with the remote.
func thirdCopy(t *testing.T, s *weedtest.Server, a *Vault, bucket, name string) *Vault {
	t.Helper()
	var buf bytes.Buffer
	if _, err := a.Backup(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), name)
	if _, err := Restore(context.Background(), &buf, dir, corePassphrase(corePass), Options{Author: name}); err != nil {
		t.Fatal(err)
	}
	v, err := Open(dir, corePassphrase(corePass), Options{Author: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	if _, err := v.Remote("org"); err != nil {
		if _, err := v.AddRemote("org", "s3://"+bucket+"/casevault/org1", s.Endpoint, syncCreds); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// openableRecordsOf opens every object under the prefix with the vault's
// sync keys (as anyone holding the master key can) and counts the records
// of case id in them, tombstones apart; tombs counts its tombstones.
func openableRecordsOf(t *testing.T, s *weedtest.Server, v *Vault, bucket string, id CaseID) (recs, tombs, packs int) {
	t.Helper()
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	keys := v.syncKeys()
	for n := range bucketNames(t, s, bucket) {
		o, err := c.GetObject(context.Background(), bucket, "casevault/org1/"+n, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(o); err != nil {
			t.Fatal(err)
		}
		o.Close()
		body, err := keys.Open(n, syncfmt.KindPack, buf.Bytes())
		if err != nil {
			continue // a blob
		}
		es, err := syncfmt.DecodePack(body)
		if err != nil {
			t.Fatalf("pack %s: %v", n, err)
		}
		packs++
		for _, e := range es {
			if len(e.Key) >= 1+idLen && bytes.Equal(e.Key[1:1+idLen], id[:]) {
				if e.Key[0] == store.PTomb {
					tombs++
				} else {
					recs++
				}
			}
		}
	}
	return recs, tombs, packs
}

// TestSyncCompactLeavesNothingOfRemovedCase: a removed case's records sit
// in a pack beside a live case's; after 'sync --compact' no object of the
// prefix holds them (only its tombstone), the live case is complete on a
// copy that had never synced before the old pack was deleted, and a
// compaction stopped after the upload or after the record completes at the
// next run.
func TestSyncCompactLeavesNothingOfRemovedCase(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "compact")
	late := thirdCopy(t, s, a, "compact", "laptop-c") // syncs only at the end
	keep := coreAdd(t, a, syncCase("Kept Person"))
	gone := coreAdd(t, a, syncCase("Removed Person"))
	if _, err := a.UpdateCase(keep, coreCase(t, syncCase("Kept Person Edited"))); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, a); rep.PacksUp != 1 {
		t.Fatalf("first sync: %+v", rep)
	}
	mustSync(t, b)
	if err := a.RemoveCase(gone); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if rep := mustSync(t, b); len(rep.Removed) != 1 {
		t.Fatalf("B's sync after rm: %+v", rep)
	}
	if recs, _, _ := openableRecordsOf(t, s, a, "compact", gone); recs == 0 {
		t.Fatal("before compaction the mixed pack should hold the removed case (test premise)")
	}

	// Killed after uploading, before recording: nothing deleted yet.
	stop := errors.New("killed here")
	_, err := a.Compact(context.Background(), "org", CompactHooks{AfterUpload: func() error { return stop }})
	if !errors.Is(err, stop) {
		t.Fatalf("compact stopped after upload: %v", err)
	}
	if recs, _, _ := openableRecordsOf(t, s, a, "compact", gone); recs == 0 {
		t.Fatal("a compaction stopped before its record deleted the old pack")
	}
	// Killed after recording, before deleting.
	_, err = a.Compact(context.Background(), "org", CompactHooks{AfterRecord: func() error { return stop }})
	if !errors.Is(err, stop) {
		t.Fatalf("compact stopped after record: %v", err)
	}
	// Another copy syncing in between loses nothing.
	mustSync(t, b)
	rep, err := a.Compact(context.Background(), "org", CompactHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PacksDeleted == 0 || rep.ReplacedEarly == 0 {
		t.Fatalf("the rerun should delete the pack the stopped run replaced: %+v", rep)
	}
	if recs, tombs, _ := openableRecordsOf(t, s, a, "compact", gone); recs != 0 || tombs != 1 {
		t.Fatalf("after compaction the bucket holds %d records and %d tombstones of the removed case, want 0 and 1", recs, tombs)
	}
	// Key and two revisions, twice: the pack the run stopped after its
	// upload left (an orphan holding only live records) and the rerun's.
	if recs, _, _ := openableRecordsOf(t, s, a, "compact", keep); recs != 6 {
		t.Fatalf("after compaction the bucket holds %d records of the live case, want 6 (key, 2 revisions, in two packs)", recs)
	}
	// Idempotent: nothing left to do.
	rep, err = a.Compact(context.Background(), "org", CompactHooks{})
	if err != nil || rep.PacksRead != 0 || rep.PacksWritten != 0 || rep.PacksDeleted != 0 {
		t.Fatalf("second compaction: %+v %v", rep, err)
	}
	// A copy that never saw the old packs gets the live case whole and
	// never the removed one.
	mustSync(t, late)
	mustSync(t, b)
	for _, v := range []*Vault{late, b} {
		if caseDocSHA(t, v, keep) != caseDocSHA(t, a, keep) {
			t.Fatalf("%s: the live case differs from A's", v.Dir())
		}
		if revs, _ := v.History(keep); len(revs) != 2 {
			t.Fatalf("%s: %d revisions of the live case, want 2", v.Dir(), len(revs))
		}
		if _, err := v.Case(gone); err == nil {
			t.Fatalf("%s: the removed case came back", v.Dir())
		}
		if hits, _ := v.Search("Removed"); len(hits) != 0 {
			t.Fatalf("%s: the removed case is in search: %v", v.Dir(), hits)
		}
	}
	if !hasAuditOp(t, a, OpSyncCompact) {
		t.Fatal("no sync.compact audit entry")
	}
	syncClean(t, a, b, late)
}

func hasAuditOp(t *testing.T, v *Vault, op Op) bool {
	t.Helper()
	found := false
	if err := v.AuditEntries(func(e AuditEntry) error {
		found = found || e.Op == op
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return found
}
