package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/y"
	flatbuffers "github.com/google/flatbuffers/go"
	"google.golang.org/protobuf/proto"
)

// tableFooter reads a table's footer, in the clear at its end: ... index,
// index length (4), checksum, checksum length (4).
func tableFooter(b []byte) (idxStart, idxLen int, chk []byte) {
	end := len(b) - 4
	chkLen := int(binary.BigEndian.Uint32(b[end:]))
	end -= chkLen
	idxLen = int(binary.BigEndian.Uint32(b[end-4:]))
	return end - 4 - idxLen, idxLen, b[end : end+chkLen]
}

// editIndex changes a table's index the way an attacker without the keys
// can: it XORs the encrypted bytes (AES-CTR) of one field and writes the
// footer's checksum again. The field is found with the data key, which the
// attacker would not need: XOR does not care what it changes. set gets the
// plaintext index and returns the position and new bytes of the field.
func editIndex(t *testing.T, dir, table string, key []byte, set func(plain []byte, ti *fb.TableIndex) (int, []byte)) {
	t.Helper()
	b, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	idxStart, idxLen, chkBytes := tableFooter(b)
	var chk pb.Checksum
	if err := proto.Unmarshal(chkBytes, &chk); err != nil {
		t.Fatal(err)
	}
	idx := b[idxStart : idxStart+idxLen]

	m, kr, err := manifestAndKeys(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	defer kr.Close()
	id, _ := strconv.ParseUint(strings.TrimSuffix(filepath.Base(table), ".sst"), 10, 64)
	dk, err := kr.DataKey(m.Tables[id].KeyID)
	if err != nil || dk == nil {
		t.Fatalf("data key of %s: %v", table, err)
	}
	plain := make([]byte, idxLen-16)
	if err := y.XORBlock(plain, idx[:idxLen-16], dk.Data, idx[idxLen-16:]); err != nil {
		t.Fatal(err)
	}
	pos, val := set(plain, fb.GetRootAsTableIndex(plain, 0))
	for i, v := range val {
		idx[pos+i] ^= plain[pos+i] ^ v
	}
	chk.Sum = y.CalculateChecksum(idx, chk.Algo)
	cb, err := proto.Marshal(&chk)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), b[:idxStart+idxLen]...)
	out = binary.BigEndian.AppendUint32(out, uint32(idxLen))
	out = append(out, cb...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(cb)))
	if err := os.WriteFile(table, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The newest version a table's index states, lowered by an edit of the
// encrypted index with its checksum made again: the store opens, reads
// fewer records without an error (the newer records are hidden: why
// editing an index is a residual risk in SECURITY.md), and VerifyLevels
// (check) names the table as damage. Its key count edited likewise is
// damage too. The store as made verifies.
func TestVerifyLevelsFindsEditedIndex(t *testing.T) {
	dir, key, _, upper, before := verifiedLeveledStore(t, 4000)
	orig, _ := os.ReadFile(upper)

	// flatbuffers field slots of TableIndex: max_version 8, key_count 10.
	field := func(slot int, size int, v uint64) func([]byte, *fb.TableIndex) (int, []byte) {
		return func(plain []byte, ti *fb.TableIndex) (int, []byte) {
			tab := ti.Table()
			o := tab.Offset(flatbuffers.VOffsetT(slot))
			if o == 0 {
				t.Fatalf("field %d absent from the index", slot)
			}
			nb := make([]byte, 8)
			binary.LittleEndian.PutUint64(nb, v)
			return int(tab.Pos) + int(o), nb[:size]
		}
	}
	for _, c := range []struct {
		name   string
		edit   func([]byte, *fb.TableIndex) (int, []byte)
		hidden bool
	}{
		{"newest version lowered", field(8, 8, 1), true},
		{"key count changed", field(10, 4, 7), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(upper, orig, 0o600); err != nil {
				t.Fatal(err)
			}
			editIndex(t, dir, upper, key, c.edit)
			if err := Preflight(dir, key); err != nil {
				t.Logf("preflight: %v", err)
			}
			if after := readAll(t, dir, key); (after != before) != c.hidden {
				t.Errorf("records read changed: %v, want %v", after != before, c.hidden)
			}
			db, err := Open(dir, key, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = db.VerifyLevels()
			var de *DamageError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), filepath.Base(upper)) {
				t.Fatalf("VerifyLevels: %v, want damage naming %s", err, filepath.Base(upper))
			}
			t.Log(err)
		})
	}
}
