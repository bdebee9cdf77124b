package vault

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestPurgeTravelsToOtherCopies: a plain purge (no 'case rm' and sync
// before it) on copy A is carried by A's next sync, although the purge
// re-keyed A: the tombstone goes out under the old keys, B removes the
// case (audited case.purge) and the evidence blob leaves the bucket. A
// sync stopped after the upload and before the record sends it again,
// harmlessly; afterwards nothing waits and the remote stays refused.
func TestPurgeTravelsToOtherCopies(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "purgetravels")
	keep := coreAdd(t, a, syncCase("Kept Person"))
	gone := coreAdd(t, a, syncCase("Purged Person"))
	content := []byte(strings.Repeat("witness statement ", 3000))
	if _, err := a.AddEvidence(context.Background(), gone, bytes.NewReader(content), EvidenceInput{Name: "statement.txt"}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if rep := mustSync(t, b); rep.CasesDown != 2 {
		t.Fatalf("B's first sync: %+v", rep)
	}
	objects := len(bucketNames(t, s, "purgetravels"))
	if _, err := a.Purge(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	// Stopped after the upload, before the record.
	stop := errors.New("killed here")
	purgeSentHook = func() error { return stop }
	_, err := a.Sync(context.Background(), "org", SyncHooks{})
	purgeSentHook = nil
	if !errors.Is(err, stop) {
		t.Fatalf("sync stopped after the upload: %v", err)
	}
	rep, err := a.Sync(context.Background(), "org", SyncHooks{})
	var rk *RemoteRekeyedError
	if !errors.As(err, &rk) {
		t.Fatalf("sync after purge: %v, want the re-keyed remote refused after sending", err)
	}
	if rep == nil || len(rep.PurgesSent) != 1 || rep.PurgesSent[0] != gone.String() {
		t.Fatalf("sync after purge sent %+v", rep)
	}
	// Sent once: the next sync has nothing to send.
	rep, err = a.Sync(context.Background(), "org", SyncHooks{})
	if !errors.As(err, &rk) || rep != nil {
		t.Fatalf("second sync after purge: %+v %v", rep, err)
	}
	// Two tombstone packs (the stopped run's and the record's), the blob gone.
	if n := len(bucketNames(t, s, "purgetravels")); n != objects+2-1 {
		t.Fatalf("objects in the bucket: %d, want %d", n, objects+1)
	}
	rep = mustSync(t, b)
	if len(rep.Removed) != 1 || rep.Removed[0] != gone.String() {
		t.Fatalf("B's sync after A's purge: %+v", rep)
	}
	if _, err := b.Case(gone); err == nil {
		t.Fatal("the purged case is still on B")
	}
	if hits, _ := b.Search("Purged"); len(hits) != 0 {
		t.Fatalf("the purged case is in B's search: %v", hits)
	}
	if _, err := b.Case(keep); err != nil {
		t.Fatal(err)
	}
	if !hasAuditOp(t, b, OpCasePurge) {
		t.Fatal("B has no case.purge audit entry")
	}
	// B purges too, for its own disk: accepted as a removed case.
	if _, err := b.Purge(context.Background(), gone); err != nil {
		t.Fatalf("purge on B after the purge arrived: %v", err)
	}
	syncClean(t, a, b)
}
