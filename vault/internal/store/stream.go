package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

const (
	maxKVListFrame = 128 << 20 // one Badger KVList in the store stream
)

// Backup writes the whole store as Badger's backup stream to w.
func (d *DB) Backup(w io.Writer) error {
	_, err := d.db.Backup(w, 0)
	return err
}

// BackupSince writes Badger's backup stream of the entries written at or
// after version since (0: every entry), deletions included, and returns
// the highest version written (0 when none was).
func (d *DB) BackupSince(w io.Writer, since uint64) (uint64, error) {
	return d.db.Backup(w, since)
}

// Load loads a backup stream (read through CheckedStream) into the store.
func (d *DB) Load(r io.Reader) error { return d.db.Load(r, 16) }

// CheckedStream returns a reader of the backup stream in r that fails,
// with an error made by fail, on a frame that is not what Backup writes.
func CheckedStream(r io.Reader, fail func(msg string) error) io.Reader {
	return &kvStreamReader{r: r, fail: func(format string, a ...any) error { return fail(fmt.Sprintf(format, a...)) }}
}

// kvStreamReader passes Badger's backup stream through, frame by frame,
// after checking each frame: a bounded size, and key-value lists whose keys
// are casevault store keys. Badger's own loader trusts the lengths it
// reads; this reader is what makes a crafted backup harmless to it.
type kvStreamReader struct {
	r    io.Reader
	buf  []byte // the current frame, checked, not yet passed on
	err  error
	fail func(format string, a ...any) error
}

func (k *kvStreamReader) Read(b []byte) (int, error) {
	if len(k.buf) == 0 {
		if k.err != nil {
			return 0, k.err
		}
		if k.err = k.nextFrame(); k.err != nil && len(k.buf) == 0 {
			return 0, k.err
		}
	}
	n := copy(b, k.buf)
	k.buf = k.buf[n:]
	return n, nil
}

func (k *kvStreamReader) nextFrame() error {
	var l [8]byte
	n, err := io.ReadFull(k.r, l[:])
	if err == io.EOF && n == 0 {
		return io.EOF
	}
	if err != nil {
		return k.fail("truncated store stream")
	}
	sz := binary.LittleEndian.Uint64(l[:])
	if sz > maxKVListFrame {
		return k.fail("store stream frame of %d bytes", sz)
	}
	// Grown as data arrives, not allocated from the claimed size.
	frame := bytes.NewBuffer(make([]byte, 0, min(8+sz, 1<<20)))
	frame.Write(l[:])
	if n, err := io.Copy(frame, io.LimitReader(k.r, int64(sz))); err != nil || uint64(n) != sz {
		return k.fail("truncated store stream")
	}
	var list pb.KVList
	if err := proto.Unmarshal(frame.Bytes()[8:], &list); err != nil {
		return k.fail("damaged store stream: %v", err)
	}
	for _, kv := range list.Kv {
		if len(kv.Key) == 0 || len(kv.Key) > 64 || !KnownPrefix(kv.Key[0]) {
			return k.fail("store stream holds a key that is not a casevault record")
		}
		if kv.Version == 0 || kv.Version > 1<<48 || kv.ExpiresAt != 0 || len(kv.Meta) > 1 || len(kv.UserMeta) > 1 {
			return k.fail("store stream holds a malformed entry")
		}
	}
	k.buf = frame.Bytes()
	return nil
}
