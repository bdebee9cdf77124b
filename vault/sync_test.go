package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/casevault/casevault/vault/weedtest"
	"github.com/minio/minio-go/v7"
)

// weedServer starts a real SeaweedFS server for the test; without the
// binary the test is skipped, unless CI is set, where it fails.
func weedServer(t *testing.T) *weedtest.Server {
	t.Helper()
	bin, err := weedtest.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the S3 server is missing: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	s, err := weedtest.Start(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

var syncCreds = Credentials{AccessKey: weedtest.AccessKey, Secret: weedtest.SecretKey}

// syncPair makes two copies of one vault (the second restored from a
// backup of the first: the same master key), each with the remote "org"
// pointing at the server.
func syncPair(t *testing.T, s *weedtest.Server, bucket string) (*Vault, *Vault) {
	t.Helper()
	_, a := coreInit(t, true)
	var buf bytes.Buffer
	if _, err := a.Backup(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
	dirB := filepath.Join(t.TempDir(), "laptop-b")
	if _, err := Restore(context.Background(), &buf, dirB, corePassphrase(corePass), Options{Author: "tester-b"}); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dirB, corePassphrase(corePass), Options{Author: "tester-b"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for _, v := range []*Vault{a, b} {
		if _, err := v.AddRemote("org", "s3://"+bucket+"/casevault/org1", s.Endpoint, syncCreds); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

func syncCase(name string) string {
	return fmt.Sprintf("person:\n  name: %s\nstatus: pretrial\n", name)
}

func mustSync(t *testing.T, v *Vault) *SyncReport {
	t.Helper()
	rep, err := v.Sync(context.Background(), "org", SyncHooks{})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

func caseDocSHA(t *testing.T, v *Vault, id CaseID) string {
	t.Helper()
	r, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	return r.SHA256
}

func syncClean(t *testing.T, vs ...*Vault) {
	t.Helper()
	for _, v := range vs {
		coreVerifyAudit(t, v, -1)
		rep, err := v.Check(context.Background(), CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) > 0 {
			t.Fatalf("check of %s: %+v", v.Dir(), rep.Problems)
		}
	}
}

func TestSyncRoundTrip(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "roundtrip")
	var ids []CaseID
	for i := 0; i < 5; i++ {
		ids = append(ids, coreAdd(t, a, syncCase(fmt.Sprintf("Ivan Petrov %c", 'A'+i))))
	}
	content := []byte(strings.Repeat("medical report ", 10000))
	ev, err := a.AddEvidence(context.Background(), ids[0], bytes.NewReader(content), EvidenceInput{Name: "report.txt"})
	if err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, a)
	if rep.PacksUp != 1 || rep.CasesUp != 5 || rep.BlobsUp != 1 {
		t.Fatalf("first sync of A: %+v", rep)
	}
	rep = mustSync(t, b)
	if rep.CasesDown != 5 || rep.EvidenceDown != 1 || rep.PacksUp != 0 {
		t.Fatalf("first sync of B: %+v", rep)
	}
	for _, id := range ids {
		if caseDocSHA(t, a, id) != caseDocSHA(t, b, id) {
			t.Fatalf("case %s differs after sync", id)
		}
	}
	// B reads the evidence from the store, verified.
	eid, _ := ParseEvidenceID(ev.ID)
	var out bytes.Buffer
	if _, err := b.ReadEvidence(context.Background(), eid, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), content) {
		t.Fatal("evidence read on B differs")
	}
	// Searching on B finds the synced case.
	hits, err := b.Search("Petrov")
	if err != nil || len(hits) != 5 {
		t.Fatalf("search on B: %d hits, %v", len(hits), err)
	}
	// Nothing changed: nothing uploaded, nothing applied.
	if rep := mustSync(t, a); rep.PacksUp != 0 || rep.PacksDown != 0 {
		t.Fatalf("idle sync of A: %+v", rep)
	}
	// B changes a case; A gets it.
	doc := coreCase(t, syncCase("Ivan Petrov Changed"))
	if _, err := b.UpdateCase(ids[1], doc); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, b); rep.PacksUp != 1 || rep.CasesUp != 1 {
		t.Fatalf("B after one change: %+v", rep)
	}
	if rep := mustSync(t, a); rep.CasesDown != 1 || len(rep.Conflicts) != 0 {
		t.Fatalf("A after B's change: %+v", rep)
	}
	if caseDocSHA(t, a, ids[1]) != caseDocSHA(t, b, ids[1]) {
		t.Fatal("B's change did not reach A")
	}
	h, _ := a.History(ids[1])
	if len(h) != 2 || h[1].Author != "tester-b" {
		t.Fatalf("history on A: %d revisions, author %q", len(h), h[len(h)-1].Author)
	}
	syncClean(t, a, b)
}

func TestSyncConcurrentEditsKeepBoth(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "conflict")
	id := coreAdd(t, a, syncCase("Anna Sidorova"))
	mustSync(t, a)
	mustSync(t, b)
	if _, err := a.UpdateCase(id, coreCase(t, syncCase("Anna Sidorova Edited On A"))); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateCase(id, coreCase(t, syncCase("Anna Sidorova Edited On B"))); err != nil {
		t.Fatal(err)
	}
	shaA, shaB := caseDocSHA(t, a, id), caseDocSHA(t, b, id)
	mustSync(t, a)
	repB := mustSync(t, b)
	repA := mustSync(t, a)
	if len(repB.Conflicts) != 1 || len(repA.Conflicts) != 1 {
		t.Fatalf("conflicts: A %v, B %v", repA.Conflicts, repB.Conflicts)
	}
	// Each side keeps its own head and the other's revision beside it.
	for _, c := range []struct {
		v          *Vault
		own, other string
	}{{a, shaA, shaB}, {b, shaB, shaA}} {
		if got := caseDocSHA(t, c.v, id); got != c.own {
			t.Fatalf("%s: head changed by sync", c.v.Dir())
		}
		cfs, err := c.v.Conflicts(id)
		if err != nil || len(cfs) != 1 || cfs[0].SHA256 != c.other {
			t.Fatalf("%s: conflicts %+v, %v", c.v.Dir(), cfs, err)
		}
		if doc, err := cfs[0].Doc(); err != nil || doc == nil {
			t.Fatalf("conflict revision does not open: %v", err)
		}
	}
	// Syncing again settles: no new conflicts, nothing more to apply.
	if rep := mustSync(t, b); len(rep.Conflicts) != 0 || rep.PacksDown != 0 {
		t.Fatalf("B again: %+v", rep)
	}
	if rep := mustSync(t, a); len(rep.Conflicts) != 0 || rep.PacksDown != 0 {
		t.Fatalf("A again: %+v", rep)
	}
	syncClean(t, a, b)
}

func TestSyncTwoClientsAtOnce(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "atonce")
	for i := 0; i < 30; i++ {
		coreAdd(t, a, syncCase(fmt.Sprintf("Client A Person %d", i)))
		coreAdd(t, b, syncCase(fmt.Sprintf("Client B Person %d", i)))
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, v := range []*Vault{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = v.Sync(context.Background(), "org", SyncHooks{})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, a)
	mustSync(t, b)
	for _, v := range []*Vault{a, b} {
		ids, err := v.CaseIDs()
		if err != nil || len(ids) != 60 {
			t.Fatalf("%s: %d cases after both synced, want 60 (%v)", v.Dir(), len(ids), err)
		}
	}
	syncClean(t, a, b)
}

func TestSyncServerKilledMidway(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "killed")
	for i := 0; i < 40; i++ {
		coreAdd(t, a, syncCase(fmt.Sprintf("Person Killed %d", i)))
	}
	// A blob, so that the pack follows an upload the kill can land on.
	for i := 0; i < 3; i++ {
		id := coreAdd(t, a, syncCase(fmt.Sprintf("With Evidence %d", i)))
		if _, err := a.AddEvidence(context.Background(), id, bytes.NewReader(bytes.Repeat([]byte{byte(i)}, 3<<20)), EvidenceInput{Name: "x.bin"}); err != nil {
			t.Fatal(err)
		}
	}
	killed := false
	_, err := a.Sync(context.Background(), "org", SyncHooks{Progress: func(step string, done, total int) {
		if step == "upload" && done == 20 && !killed {
			killed = true
			s.Kill()
		}
	}})
	var re *RemoteError
	if !killed || !errors.As(err, &re) {
		t.Fatalf("sync with the server killed: killed %v, err %v", killed, err)
	}
	coreVerifyAudit(t, a, -1)
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	// B: killed during its download, then completes.
	killed = false
	_, err = b.Sync(context.Background(), "org", SyncHooks{Progress: func(step string, done, total int) {
		if step == "download" && done == 1 && !killed {
			killed = true
			s.Kill()
		}
	}})
	if err == nil && killed {
		t.Fatal("sync with the server killed succeeded")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	mustSync(t, b)
	ida, _ := a.CaseIDs()
	idb, _ := b.CaseIDs()
	if len(ida) != 43 || len(idb) != 43 {
		t.Fatalf("after restarts: A %d cases, B %d, want 43", len(ida), len(idb))
	}
	syncClean(t, a, b)
}

func TestSyncRefusesPlantedAndTamperedObjects(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "tamper")
	coreAdd(t, a, syncCase("Tamper Target"))
	mustSync(t, a)
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pfx := "casevault/org1/"
	var packs []string
	for o := range c.ListObjects(ctx, "tamper", minio.ListObjectsOptions{Prefix: pfx}) {
		packs = append(packs, strings.TrimPrefix(o.Key, pfx))
	}
	if len(packs) != 1 {
		t.Fatalf("objects on the store: %v", packs)
	}
	// The pack flipped in one byte, a copy of it under another name, an
	// object of random bytes, and one whose name is not an object name.
	obj, err := c.GetObject(ctx, "tamper", pfx+packs[0], minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	orig, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(orig)
	flipped[len(flipped)/2] ^= 1
	junk := make([]byte, 5000)
	rand.Read(junk)
	put := func(name string, b []byte) {
		if _, err := c.PutObject(ctx, "tamper", pfx+name, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	put(packs[0], flipped)
	moved := syncfmt.NewName()
	put(moved, orig)
	planted := syncfmt.NewName()
	put(planted, junk)
	put("README.txt", []byte("hello"))
	rep, err := b.Sync(ctx, "org", SyncHooks{})
	var ref *SyncRefusedError
	if !errors.As(err, &ref) || !errors.Is(err, errs.ErrDamaged) {
		t.Fatalf("sync of B: %v", err)
	}
	if len(rep.Refused) != 4 || rep.CasesDown != 0 {
		t.Fatalf("refused %v, cases applied %d", rep.Refused, rep.CasesDown)
	}
	if ids, _ := b.CaseIDs(); len(ids) != 0 {
		t.Fatalf("B holds %d cases from refused objects", len(ids))
	}
	// Restored, B gets the case, and still refuses the others.
	put(packs[0], orig)
	rep, _ = b.Sync(ctx, "org", SyncHooks{})
	if rep.CasesDown != 1 || len(rep.Refused) != 3 {
		t.Fatalf("after the pack was restored: %+v", rep)
	}
	syncClean(t, a, b)
}

func TestEvidenceOffloadLarge(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "offload")
	id := coreAdd(t, a, syncCase("Video Owner"))
	const size = 96 << 20
	h := sha256.New()
	src := io.TeeReader(io.LimitReader(rand.Reader, size), h)
	ev, err := a.AddEvidence(context.Background(), id, src, EvidenceInput{Name: "video.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))
	eid, _ := ParseEvidenceID(ev.ID)
	blobs, _ := os.ReadDir(filepath.Join(a.Dir(), "blobs"))
	res, err := a.OffloadEvidence(context.Background(), "org", []EvidenceID{eid}, 0)
	if err != nil || len(res) != 1 {
		t.Fatalf("offload: %v %v", res, err)
	}
	after, _ := os.ReadDir(filepath.Join(a.Dir(), "blobs"))
	if len(after) != len(blobs)-1 {
		t.Fatalf("blobs before %d, after offload %d", len(blobs), len(after))
	}
	if r, ok, _ := a.Offloaded(eid); !ok || r != "org" {
		t.Fatal("not recorded as offloaded")
	}
	// Streamed back with flat memory.
	var peak atomic.Uint64
	stop := make(chan struct{})
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	g := sha256.New()
	_, err = a.ReadEvidence(context.Background(), eid, g)
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(g.Sum(nil)) != want {
		t.Fatal("offloaded evidence read back differs")
	}
	if grew := int64(peak.Load()) - int64(base.HeapInuse); grew > 48<<20 {
		t.Fatalf("heap grew by %d MiB streaming %d MiB", grew>>20, size>>20)
	}
	// The other copy gets it through sync, from the store.
	mustSync(t, a)
	mustSync(t, b)
	g.Reset()
	if _, err := b.ReadEvidence(context.Background(), eid, g); err != nil || hex.EncodeToString(g.Sum(nil)) != want {
		t.Fatalf("B reading the offloaded item: %v", err)
	}
	// A flipped byte in the object is refused while streaming.
	c, _ := s.Client()
	var obj string
	for o := range c.ListObjects(context.Background(), "offload", minio.ListObjectsOptions{Prefix: "casevault/org1/"}) {
		if o.Size > size {
			obj = o.Key
		}
	}
	rc, err := c.GetObject(context.Background(), "offload", obj, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	data[len(data)/3] ^= 0x40
	if _, err := c.PutObject(context.Background(), "offload", obj, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = b.ReadEvidence(context.Background(), eid, io.Discard)
	if !errors.Is(err, errs.ErrDamaged) {
		t.Fatalf("tampered offloaded item: %v", err)
	}
	syncClean(t, a)
}

func TestBundleSendReceiveThroughInbox(t *testing.T) {
	s := weedServer(t)
	a, b := partners(t)
	for _, v := range []*Vault{a, b} {
		if _, err := v.AddRemote("coalition", "s3://coalition/shared", s.Endpoint, syncCreds); err != nil {
			t.Fatal(err)
		}
	}
	aCase := addCaseText(t, a, fullCase)
	if _, err := a.ShareCase(aCase, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	sent, err := a.SendBundle(context.Background(), "coalition", ExportBundleOptions{To: "Beta Rights"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sent.File); !os.IsNotExist(err) {
		t.Fatalf("the local bundle file stayed: %v", err)
	}
	// A's own inbox is empty; B's holds the bundle.
	if res, err := a.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Imported) != 0 {
		t.Fatalf("A's inbox: %+v %v", res, err)
	}
	res, err := b.ReceiveBundles(context.Background(), "coalition")
	if err != nil || len(res.Imported) != 1 || len(res.Refused) != 0 || res.Imported[0].Org != "Alpha Defence" {
		t.Fatalf("B receives: %+v %v", res, err)
	}
	// Received once only.
	if res, err := b.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Imported) != 0 {
		t.Fatalf("B again: %+v %v", res, err)
	}
	// A bundle planted in B's inbox by someone else is refused and named.
	c, _ := s.Client()
	junk := []byte("age-encryption.org/v1\n-> X25519 garbage\n")
	obj := "shared/" + inboxDir(b.Meta().VerifyKey) + syncfmt.NewName()
	if _, err := c.PutObject(context.Background(), "coalition", obj, bytes.NewReader(junk), int64(len(junk)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err = b.ReceiveBundles(context.Background(), "coalition")
	if err != nil || len(res.Refused) != 1 || len(res.Imported) != 0 {
		t.Fatalf("planted bundle: %+v %v", res, err)
	}
	syncClean(t, a, b)
}
