package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/casevault/casevault/vault/weedtest"
	"github.com/minio/minio-go/v7"
	"pgregory.net/rapid"
)

// allocated returns the bytes the Go runtime allocated while fn ran (the
// process's cumulative allocation: vault tests do not run in parallel).
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestOffloadMemory offloads a 40 MiB item to the real store and bounds
// what the upload allocates: one part buffer (5 MiB) and a little per part,
// not a copy of each part inside the client nor garbage for every 64 KiB
// signed (what made a 1 GiB offload's memory reach 100 MiB). Reading it back
// allocates little too. The previous upload (minio-go's PutObject with
// 16 MiB parts and its streaming signature) allocated about 20 MiB here.
//
// It shares its server with the canceled offload (offloadCanceled).
func TestOffloadMemory(t *testing.T) {
	s := weedServer(t)
	t.Run("canceled", func(t *testing.T) { offloadCanceled(t, s) })
	a, _ := syncPair(t, s, "memory")
	id := coreAdd(t, a, syncCase("Memory Owner"))
	const size = 40 << 20
	h := sha256.New()
	ev, err := a.AddEvidence(context.Background(), id, io.TeeReader(io.LimitReader(rand.Reader, size), h), EvidenceInput{Name: "video.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	want := h.Sum(nil)
	eid, _ := ParseEvidenceID(ev.ID)
	var res []OffloadResult
	up := allocated(func() { res, err = a.OffloadEvidence(context.Background(), "org", []EvidenceID{eid}, 0) })
	if err != nil || len(res) != 1 {
		t.Fatalf("offload: %v %v", res, err)
	}
	limit := uint64(minPartSize + size/32 + 2<<20)
	t.Logf("offload of %d MiB allocated %.1f MiB (limit %.1f MiB)", size>>20, float64(up)/(1<<20), float64(limit)/(1<<20))
	if up > limit {
		t.Fatalf("offload of %d MiB allocated %.1f MiB, more than %.1f MiB", size>>20, float64(up)/(1<<20), float64(limit)/(1<<20))
	}
	g := sha256.New()
	down := allocated(func() { _, err = a.ReadEvidence(context.Background(), eid, g) })
	if err != nil || !bytes.Equal(g.Sum(nil), want) {
		t.Fatalf("read back: %v", err)
	}
	t.Logf("reading it back allocated %.1f MiB", float64(down)/(1<<20))
	if lim := uint64(size/32 + 2<<20); down > lim {
		t.Fatalf("reading %d MiB back allocated %.1f MiB, more than %.1f MiB", size>>20, float64(down)/(1<<20), float64(lim)/(1<<20))
	}
}

// offloadCanceled cancels an offload after its second part:
// nothing is recorded, the file stays local, the parts sent are dropped
// from the store (no object, no incomplete upload), and the next offload
// completes.
func offloadCanceled(t *testing.T, s *weedtest.Server) {
	a, _ := syncPair(t, s, "canceled")
	id := coreAdd(t, a, syncCase("Canceled Owner"))
	content := make([]byte, 3*minPartSize+12345)
	rand.Read(content)
	ev, err := a.AddEvidence(context.Background(), id, bytes.NewReader(content), EvidenceInput{Name: "clip.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	eid, _ := ParseEvidenceID(ev.ID)
	ctx, cancel := context.WithCancel(context.Background())
	parts := 0
	afterPart = func() {
		if parts++; parts == 2 {
			cancel()
		}
	}
	t.Cleanup(func() { afterPart = nil })
	_, err = a.OffloadEvidence(ctx, "org", []EvidenceID{eid}, 0)
	afterPart = nil
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled offload: %v", err)
	}
	if _, ok, _ := a.Offloaded(eid); ok {
		t.Fatal("a canceled offload is recorded")
	}
	blobs, _ := os.ReadDir(filepath.Join(a.Dir(), "blobs"))
	if len(blobs) == 0 {
		t.Fatal("the local file is gone after a canceled offload")
	}
	c, _ := s.Client()
	for o := range c.ListObjects(context.Background(), "canceled", minio.ListObjectsOptions{Recursive: true}) {
		t.Errorf("object left by a canceled offload: %s (%v)", o.Key, o.Err)
	}
	for u := range c.ListIncompleteUploads(context.Background(), "canceled", "", true) {
		t.Errorf("incomplete upload left by a canceled offload: %s (%v)", u.Key, u.Err)
	}
	if res, err := a.OffloadEvidence(context.Background(), "org", []EvidenceID{eid}, 0); err != nil || len(res) != 1 {
		t.Fatalf("offload after the canceled one: %v %v", res, err)
	}
	var out bytes.Buffer
	if _, err := a.ReadEvidence(context.Background(), eid, &out); err != nil || !bytes.Equal(out.Bytes(), content) {
		t.Fatalf("read back: %v", err)
	}
}

// TestPartSize: a part size is a whole number of MiB, at least 5 MiB, needs
// no more than 10,000 parts, and is the smallest such size.
func TestPartSize(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		size := rapid.Int64Range(0, 5<<40).Draw(t, "size")
		p := partSize(size)
		if p < minPartSize || p%(1<<20) != 0 {
			t.Fatalf("part size %d for %d bytes", p, size)
		}
		if parts := (size + p - 1) / p; parts > maxParts {
			t.Fatalf("%d bytes in %d parts of %d", size, parts, p)
		}
		if smaller := p - 1<<20; p > minPartSize && (size+smaller-1)/smaller <= maxParts {
			t.Fatalf("%d bytes: part size %d, but %d would do", size, p, smaller)
		}
	})
	for size, want := range map[int64]int64{1 << 30: 5 << 20, 48 << 30: 5 << 20, 1 << 40: 105 << 20} {
		if got := partSize(size); got != want {
			t.Errorf("partSize(%d) = %d MiB, want %d MiB", size, got>>20, want>>20)
		}
	}
}
