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

	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
)

// inboxPartners are two partner vaults with the shared bucket "coalition"
// as remote, and a case of A shared with B.
func inboxPartners(t *testing.T) (a, b *Vault, s3 *minio.Client) {
	t.Helper()
	s := weedServer(t)
	a, b = partners(t)
	for _, v := range []*Vault{a, b} {
		if _, err := v.AddRemote("coalition", "s3://coalition/shared", s.Endpoint, syncCreds); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.ShareCase(addCaseText(t, a, fullCase), "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	return a, b, c
}

func inboxObjects(t *testing.T, c *minio.Client, vk []byte) []string {
	t.Helper()
	var out []string
	prefix := "shared/" + inboxDir(vk)
	for o := range c.ListObjects(context.Background(), "coalition", minio.ListObjectsOptions{Prefix: prefix}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, prefix))
	}
	return out
}

func plant(t *testing.T, c *minio.Client, obj string, data []byte) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), "coalition", "shared/"+obj, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}

func sendTo(t *testing.T, a *Vault) string {
	t.Helper()
	res, err := a.SendBundle(context.Background(), "coalition", ExportBundleOptions{To: "Beta Rights"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Object
}

// Planted objects in our inbox (a foreign name, an oversized object,
// garbage) are refused, the oversized one without downloading it, and do
// not stop the real bundle; the bundle is deleted from the inbox once
// imported and recorded, the planted ones stay and are named each time.
func TestInboxRefusesPlantedImportsTheRest(t *testing.T) {
	a, b, c := inboxPartners(t)
	old := maxInboxBundle
	maxInboxBundle = 1 << 20
	t.Cleanup(func() { maxInboxBundle = old })
	dir := inboxDir(b.Meta().VerifyKey)
	big, junk := syncfmt.NewName(), syncfmt.NewName()
	plant(t, c, dir+"notes.txt", []byte("hello"))
	plant(t, c, dir+big, make([]byte, 1<<20+1))
	plant(t, c, dir+junk, []byte("age-encryption.org/v1\n-> X25519 garbage\n"))
	sent := sendTo(t, a)

	for round := 0; round < 2; round++ {
		res, err := b.ReceiveBundles(context.Background(), "coalition")
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		wantImported := 1 - round
		if len(res.Imported) != wantImported || len(res.Refused) != 3 || len(res.NotRemoved) != 0 {
			t.Fatalf("round %d: %+v", round, res)
		}
		if !strings.Contains(res.Refused[big], "not downloaded") {
			t.Errorf("oversized object: %q", res.Refused[big])
		}
		if _, ok := res.Refused["notes.txt"]; !ok {
			t.Errorf("foreign name not named: %+v", res.Refused)
		}
		if _, ok := res.Refused[junk]; !ok {
			t.Errorf("garbage not named: %+v", res.Refused)
		}
		left := strings.Join(inboxObjects(t, c, b.Meta().VerifyKey), " ")
		if strings.Contains(left, sent) {
			t.Errorf("round %d: the imported bundle %s is still in the inbox: %s", round, sent, left)
		}
		for _, n := range []string{big, junk, "notes.txt"} {
			if !strings.Contains(left, n) {
				t.Errorf("round %d: planted %s was deleted", round, n)
			}
		}
	}
	if ids, err := b.CasesFrom("Alpha Defence"); err != nil || len(ids) != 1 {
		t.Fatalf("B's cases from A: %v %v", ids, err)
	}
	ents, _ := os.ReadDir(b.Dir())
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), inboxTempPrefix) {
			t.Errorf("download file left: %s", e.Name())
		}
	}
	syncClean(t, a, b)
}

// A receive killed after the import and before its record, or during the
// download (a file left behind), and a bundle put in the inbox a second
// time: the next receive completes, imports nothing twice, and empties the
// inbox.
func TestInboxKilledAndReceivedTwice(t *testing.T) {
	a, b, c := inboxPartners(t)
	dir := inboxDir(b.Meta().VerifyKey)
	sent := sendTo(t, a)
	// The bundle, downloaded and imported as a receive killed before its
	// record would have left it.
	o, err := c.GetObject(context.Background(), "coalition", "shared/"+dir+sent, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(o)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "b.cvb")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	// The same bundle a second time under another name, and a download
	// file left by a receive killed while downloading it.
	again := syncfmt.NewName()
	plant(t, c, dir+again, data)
	if err := os.WriteFile(filepath.Join(b.Dir(), inboxTempPrefix+again), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := b.ReceiveBundles(context.Background(), "coalition")
	if err != nil || len(res.Imported) != 0 || len(res.Refused) != 0 {
		t.Fatalf("receive: %+v %v", res, err)
	}
	if left := inboxObjects(t, c, b.Meta().VerifyKey); len(left) != 0 {
		t.Fatalf("inbox not emptied: %v", left)
	}
	if ids, err := b.CasesFrom("Alpha Defence"); err != nil || len(ids) != 1 {
		t.Fatalf("B's cases from A: %v %v", ids, err)
	}
	if _, err := os.Stat(filepath.Join(b.Dir(), inboxTempPrefix+again)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("download file left: %v", err)
	}
	syncClean(t, a, b)
}

// The inbox follows the organisation's identity, not its master key: after
// a rekey (which makes sync refuse the remote) bundles still arrive; after
// an identity rotation what a partner without the rotation card left in
// the old inbox is named once, and once the partner has the card bundles
// arrive in the new one.
func TestInboxAfterRekeyAndRotation(t *testing.T) {
	a, b, c := inboxPartners(t)
	if _, err := b.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, err := b.Remote("coalition"); err != nil || r.Rekeyed.IsZero() {
		t.Fatalf("remote not marked by the rekey: %+v %v", r, err)
	}
	sendTo(t, a)
	if res, err := b.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Imported) != 1 {
		t.Fatalf("receive after rekey: %+v %v", res, err)
	}
	// B sends after its rekey too.
	if _, err := b.ShareCase(addCaseText(t, b, strings.Replace(fullCase, "Ivan Petrov", "Oleg Beta", 1)), "Alpha Defence", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendBundle(context.Background(), "coalition", ExportBundleOptions{To: "Alpha Defence"}); err != nil {
		t.Fatalf("send after rekey: %v", err)
	}
	if res, err := a.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Imported) != 1 {
		t.Fatalf("A receives B's bundle sent after the rekey: %+v %v", res, err)
	}

	oldVK := bytes.Clone(b.Meta().VerifyKey)
	if _, err := b.RotateIdentity(RotateOptions{Passphrase: []byte("a new passphrase for beta rights")}); err != nil {
		t.Fatal(err)
	}
	stale := sendTo(t, a) // A still has B's old card
	res, err := b.ReceiveBundles(context.Background(), "coalition")
	if err != nil || len(res.Imported) != 0 || len(res.Refused) != 1 || !strings.Contains(res.Refused[stale], "previous key") {
		t.Fatalf("bundle in the old inbox: %+v %v", res, err)
	}
	if res, err := b.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Refused) != 0 {
		t.Fatalf("old inbox named again: %+v %v", res, err)
	}
	if left := inboxObjects(t, c, oldVK); len(left) != 1 {
		t.Fatalf("old inbox: %v", left)
	}
	introduce(t, a, b) // the rotation card
	sendTo(t, a)
	if res, err := b.ReceiveBundles(context.Background(), "coalition"); err != nil || len(res.Imported) != 1 || len(res.Refused) != 0 {
		t.Fatalf("receive after the rotation card: %+v %v", res, err)
	}
	coreVerifyAudit(t, b, -1)
}
