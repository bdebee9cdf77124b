package vault

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// ageKeyRegistry moves the creation time of every data key in the store's
// KEYREGISTRY back by d (as if nobody had written to the vault for d). The
// times are not encrypted; each entry's CRC is recomputed.
func ageKeyRegistry(t *testing.T, path string, d time.Duration) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const head = 16 + 12 // IV and sealed sanity text
	out := append([]byte{}, b[:head]...)
	tab := crc32.MakeTable(crc32.Castagnoli)
	n := 0
	for p := head; p+8 <= len(b); n++ {
		l := int(binary.BigEndian.Uint32(b[p:]))
		var dk pb.DataKey
		if err := proto.Unmarshal(b[p+8:p+8+l], &dk); err != nil {
			t.Fatal(err)
		}
		dk.CreatedAt = time.Unix(dk.CreatedAt, 0).Add(-d).Unix()
		nb, err := proto.Marshal(&dk)
		if err != nil {
			t.Fatal(err)
		}
		var h [8]byte
		binary.BigEndian.PutUint32(h[:], uint32(len(nb)))
		binary.BigEndian.PutUint32(h[4:], crc32.Checksum(nb, tab))
		out = append(append(out, h[:]...), nb...)
		p += 8 + l
	}
	if n == 0 {
		t.Fatal("the key registry holds no data key")
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyAfterIdleDays is attack 04 of issue 11: once Badger's newest
// data key is older than its rotation period (10 days), a read-only open
// must still read, and a later writer still works.
func TestReadOnlyAfterIdleDays(t *testing.T) {
	dir, v := coreInit(t, true)
	id := coreAdd(t, v, "person: {name: Idle Case}\n")
	v.Close()
	ageKeyRegistry(t, filepath.Join(storeDir(t, dir), "KEYREGISTRY"), 11*24*time.Hour)
	for range 2 {
		r, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only Open 11 days later: %v", err)
		}
		if _, err := r.Case(id); err != nil {
			t.Errorf("Case 11 days later: %v", err)
		}
		if rep, err := r.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
			t.Errorf("Check 11 days later: %v, %v", rep, err)
		}
		r.Close()
	}
	w := coreOpen(t, dir)
	coreAdd(t, w, "person: {name: After Idle}\n")
	w.Close()
}

// TestReadOnlyAfterKilledWriter is attack 13 of issue 11: a writer killed
// with its memtable log unflushed (here: the vault copied while the writer
// has it open, which is what a kill leaves) must not make read-only
// commands fail; the reader replays the log under the exclusive lock.
func TestReadOnlyAfterKilledWriter(t *testing.T) {
	dir, v := coreInit(t, true)
	id := coreAdd(t, v, "person: {name: Synced Case}\n")
	killed := filepath.Join(t.TempDir(), "killed")
	copyFixtureTree(t, dir, killed)
	v.Close()
	mems, _ := filepath.Glob(filepath.Join(storeDir(t, killed), "*.mem"))
	if len(mems) == 0 {
		t.Fatal("the copy holds no memtable log: the state of a killed writer was not reproduced")
	}
	for range 2 {
		r, err := Open(killed, corePassphrase(corePass), Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only Open after a killed writer: %v", err)
		}
		if _, err := r.Case(id); err != nil {
			t.Errorf("Case after a killed writer: %v", err)
		}
		r.Close()
	}
}
