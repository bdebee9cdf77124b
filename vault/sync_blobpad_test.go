package vault

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
)

// TestOffloadPaddedBlobs: two files of different sizes in one bucket are
// offloaded as objects of one size, read back unchanged (on this copy and
// through sync on the other); a blob of the previous version (not padded)
// still reads; a blob with padding that is not zeros is refused.
func TestOffloadPaddedBlobs(t *testing.T) {
	s := weedServer(t)
	a, b := syncPair(t, s, "padded")
	id := coreAdd(t, a, syncCase("Padding Owner"))
	contents := [][]byte{
		bytes.Repeat([]byte("a"), 1_000_001),
		bytes.Repeat([]byte("b"), 1_015_000),
		bytes.Repeat([]byte("c"), 40_000),
	}
	var eids []EvidenceID
	for i, c := range contents {
		ev, err := a.AddEvidence(context.Background(), id, bytes.NewReader(c), EvidenceInput{Name: "file" + string(rune('0'+i)) + ".bin"})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := ParseEvidenceID(ev.ID)
		eids = append(eids, e)
	}
	// The third is offloaded as the previous version did: unpadded.
	res, err := a.OffloadEvidence(context.Background(), "org", eids[:2], 0)
	if err != nil || len(res) != 2 {
		t.Fatalf("offload: %v %v", res, err)
	}
	legacy := offloadUnpadded(t, a, eids[2])
	c, _ := s.Client()
	sizes := map[string]int64{}
	for o := range c.ListObjects(context.Background(), "padded", minio.ListObjectsOptions{Prefix: "casevault/org1/"}) {
		sizes[strings.TrimPrefix(o.Key, "casevault/org1/")] = o.Size
	}
	if sizes[res[0].Object] != sizes[res[1].Object] || sizes[res[0].Object] == 0 {
		t.Fatalf("object sizes of 1,000,001 and 1,015,000 bytes: %d, %d", sizes[res[0].Object], sizes[res[1].Object])
	}
	read := func(v *Vault, e EvidenceID) []byte {
		t.Helper()
		var out bytes.Buffer
		if _, err := v.ReadEvidence(context.Background(), e, &out); err != nil {
			t.Fatalf("read %s: %v", e, err)
		}
		return out.Bytes()
	}
	for i, e := range eids {
		if !bytes.Equal(read(a, e), contents[i]) {
			t.Fatalf("evidence %d read back differs", i)
		}
	}
	mustSync(t, a)
	mustSync(t, b)
	for i, e := range eids {
		if !bytes.Equal(read(b, e), contents[i]) {
			t.Fatalf("evidence %d read on B differs", i)
		}
	}
	// Padding that is not zeros, sealed by a key holder: refused.
	keys := a.syncKeys()
	name := syncfmt.NewName()
	var obj bytes.Buffer
	var inner bytes.Buffer
	if err := a.fetchBlobPlain(res[0].Object, &inner); err != nil {
		t.Fatal(err)
	}
	bw, err := keys.BlobWriter(&obj, name)
	if err != nil {
		t.Fatal(err)
	}
	body := inner.Bytes()
	body[len(body)-1] = 1
	if _, err := bw.Write(body); err != nil {
		t.Fatal(err)
	}
	bw.Close()
	if _, err := c.PutObject(context.Background(), "padded", "casevault/org1/"+name, bytes.NewReader(obj.Bytes()), int64(obj.Len()), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	repointStub(t, a, eids[0], name, int64(obj.Len()))
	if _, err := a.ReadEvidence(context.Background(), eids[0], io.Discard); !errors.Is(err, errs.ErrDamaged) {
		t.Fatalf("a blob with non-zero padding: %v", err)
	}
	_ = legacy
}

func mustEvidenceRecord(t *testing.T, v *Vault, e EvidenceID) *evidenceRecord {
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

// fetchBlobPlain writes the whole plaintext of a blob object (the sealed
// evidence file and its padding).
func (v *Vault) fetchBlobPlain(name string, w io.Writer) error {
	r, err := v.Remote("org")
	if err != nil {
		return err
	}
	s, err := openObjStore(r)
	if err != nil {
		return err
	}
	rc, _, err := s.getStream(context.Background(), "", name)
	if err != nil {
		return err
	}
	defer rc.Close()
	br, err := v.syncKeys().BlobReader(rc, name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, br)
	return err
}

func repointStub(t *testing.T, v *Vault, e EvidenceID, name string, size int64) {
	t.Helper()
	r, _ := v.Remote("org")
	rec := mustEvidenceRecord(t, v, e)
	if err := v.commit(func(c *change) error {
		c.auditHash(OpEvidenceOffload, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		return c.putJSON(offloadKey(e), v.keys.sys, offloadStub{Remote: r.ID, Object: name, Size: size})
	}); err != nil {
		t.Fatal(err)
	}
}

// offloadUnpadded offloads an item as the previous version did: the
// evidence file sealed as a blob with no padding.
func offloadUnpadded(t *testing.T, v *Vault, e EvidenceID) string {
	t.Helper()
	rec := mustEvidenceRecord(t, v, e)
	r, _ := v.Remote("org")
	s, err := openObjStore(r)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(v.blobPath(rec.Blob))
	if err != nil {
		t.Fatal(err)
	}
	name := syncfmt.NewName()
	var obj bytes.Buffer
	bw, err := v.syncKeys().BlobWriter(&obj, name)
	if err != nil {
		t.Fatal(err)
	}
	bw.Write(data)
	bw.Close()
	if int64(obj.Len()) != syncfmt.BlobSize(int64(len(data))) {
		t.Fatalf("unpadded blob of %d bytes: %d", len(data), obj.Len())
	}
	if err := s.putStream(context.Background(), "", name, bytes.NewReader(obj.Bytes()), int64(obj.Len())); err != nil {
		t.Fatal(err)
	}
	if err := v.commit(func(c *change) error {
		if err := c.putJSON(offloadKey(e), v.keys.sys, offloadStub{Remote: r.ID, Object: name, Size: int64(obj.Len())}); err != nil {
			return err
		}
		if err := c.putJSON(syncObjKey(r, name), v.keys.sys, syncObject{Kind: "blob", Dir: "up", Size: int64(obj.Len())}); err != nil {
			return err
		}
		c.auditHash(OpEvidenceOffload, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		path := v.blobPath(rec.Blob)
		c.onCommit(func() { os.Remove(path) })
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return name
}
