package vault

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
)

// newPacks returns the sync object names in the bucket now that were not
// in before.
func newPacks(t *testing.T, now, before map[string]bool) []string {
	t.Helper()
	var out []string
	for n := range now {
		if !before[n] && syncfmt.ValidName(n) {
			out = append(out, n)
		}
	}
	return out
}

func plantIn(t *testing.T, c *minio.Client, bucket, obj string, data []byte) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), bucket, "casevault/org1/"+obj, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}

// An object planted in the inbox under the name of a fresh pack (anyone
// with bucket credentials reads the names from the listing) is an inbox
// object, not that pack: (b) a 0-byte object in the inbox of a rotated-away
// key, named once as "previous key", does not keep the copy from applying
// the pack; and an inbox object named like a pack this copy pulled does not
// mark that pack gone (which kept it out of compaction).
func TestInboxNameNeverStandsForPack(t *testing.T) {
	s := weedServer(t)
	// Two copies of a vault whose identity was rotated (before the remote
	// was added: a rotation re-keys the sync prefix).
	_, a := coreInit(t, true)
	oldVK := bytes.Clone(a.Meta().VerifyKey)
	if _, err := a.RotateIdentity(RotateOptions{Passphrase: []byte(corePass)}); err != nil {
		t.Fatal(err)
	}
	b := thirdCopy(t, s, a, "inboxnames", "laptop-b")
	if _, err := a.AddRemote("org", "s3://inboxnames/casevault/org1", s.Endpoint, syncCreds); err != nil {
		t.Fatal(err)
	}
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)

	// (b): the inbox of the previous identity, a 0-byte object named like
	// A's next pack, received by B before it syncs.
	before := bucketNames(t, s, "inboxnames")
	fresh := coreAdd(t, a, syncCase("Fresh Person"))
	mustSync(t, a)
	packs := newPacks(t, bucketNames(t, s, "inboxnames"), before)
	if len(packs) != 1 {
		t.Fatalf("A's sync wrote %v, want one pack", packs)
	}
	plantIn(t, c, "inboxnames", inboxDir(oldVK)+packs[0], nil)
	res, err := b.ReceiveBundles(context.Background(), "org")
	if err != nil || !strings.Contains(res.Refused[packs[0]], "previous key") {
		t.Fatalf("receive with the planted old-inbox object: %+v %v", res, err)
	}
	mustSync(t, b)
	if _, err := b.Case(fresh); err != nil {
		t.Fatalf("B never applied the pack whose name was planted in an inbox: %v", err)
	}
	if _, err := b.Sync(context.Background(), "org", SyncHooks{Full: true}); err != nil {
		t.Fatal(err)
	}

	// Gone: B pulled a mixed pack; an object under its name in B's
	// current inbox is received (refused: not a bundle) and must not mark
	// the pack gone, so B's compaction still repacks it.
	before = bucketNames(t, s, "inboxnames")
	keep := coreAdd(t, a, syncCase("Kept Person"))
	gone := coreAdd(t, a, syncCase("Removed Person"))
	mustSync(t, a)
	packs = newPacks(t, bucketNames(t, s, "inboxnames"), before)
	if len(packs) != 1 {
		t.Fatalf("A's sync wrote %v, want one pack", packs)
	}
	mustSync(t, b)
	plantIn(t, c, "inboxnames", inboxDir(b.Meta().VerifyKey)+packs[0], []byte("not a bundle"))
	if res, err := b.ReceiveBundles(context.Background(), "org"); err != nil || res.Refused[packs[0]] == "" {
		t.Fatalf("receive with the planted object named like a pulled pack: %+v %v", res, err)
	}
	if err := a.RemoveCase(gone); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)
	rep, err := b.Compact(context.Background(), "org", CompactHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if recs, _, _ := openableRecordsOf(t, s, b, "inboxnames", gone); recs != 0 {
		t.Fatalf("after B's compaction the bucket holds %d records of the removed case (the pack was taken as gone): %+v", recs, rep)
	}
	if _, err := b.Case(keep); err != nil {
		t.Fatal(err)
	}
	syncClean(t, a, b)
}

// Once A has compacted, B (which applied the packs A replaced) compacts
// too: the packs the store no longer has are marked gone, not a failure,
// and nothing of the removed case is left.
func TestSyncCompactAfterOtherCopyCompacted(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "compact2")
	keep := coreAdd(t, a, syncCase("Kept Person"))
	gone := coreAdd(t, a, syncCase("Removed Person"))
	mustSync(t, a)
	mustSync(t, b)
	if err := a.RemoveCase(gone); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)
	if rep, err := a.Compact(context.Background(), "org", CompactHooks{}); err != nil || rep.PacksDeleted == 0 {
		t.Fatalf("A's compaction: %+v %v", rep, err)
	}
	rep, err := b.Compact(context.Background(), "org", CompactHooks{})
	if err != nil {
		t.Fatalf("B's compaction after A's: %v", err)
	}
	if rep.PacksGone == 0 {
		t.Fatalf("B's compaction should find A's replaced pack gone: %+v", rep)
	}
	if recs, _, _ := openableRecordsOf(t, s, b, "compact2", gone); recs != 0 {
		t.Fatalf("the bucket holds %d records of the removed case", recs)
	}
	if _, err := b.Case(gone); err == nil {
		t.Fatal("the removed case is back in B")
	}
	if _, err := b.Case(keep); err != nil {
		t.Fatal(err)
	}
	if rep, err := b.Compact(context.Background(), "org", CompactHooks{}); err != nil || rep.PacksGone != 0 || rep.PacksRead != 0 {
		t.Fatalf("B's second compaction: %+v %v", rep, err)
	}
	syncClean(t, a, b)
}
