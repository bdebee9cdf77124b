package cases

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/casevault/casevault/schema"
	"github.com/klauspost/compress/flate"
)

// Revision records are compressed before they are sealed: plaintext
// 'z' ‖ DEFLATE(JSON). Records that start with '{' are plain JSON (written
// before compression was introduced) and are read as they are.
const CompressedMarker = 'z'

// MaxRevisionJSON bounds what a compressed revision may inflate to.
const MaxRevisionJSON = 4*schema.MaxCaseFileSize + 64<<10

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(nil) }}

// Compress returns 'z' ‖ DEFLATE(b).
func Compress(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + 64)
	buf.WriteByte(CompressedMarker)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(b) // writes to a bytes.Buffer do not fail
	w.Close()
	flateWriters.Put(w)
	return buf.Bytes()
}

var errBadCompression = errors.New("compressed record does not inflate")

// ErrRecordTooLarge is a revision that inflates beyond MaxRevisionJSON:
// one stored by a casevault that did not bound YAML alias expansion. It
// can be removed and purged (see DecodeHead), not read.
var ErrRecordTooLarge = fmt.Errorf("revision is larger than %d bytes once inflated, too large to read; the case can only be removed or purged", MaxRevisionJSON)

// Decompress undoes Compress; plain JSON is returned as is.
func Decompress(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != CompressedMarker {
		return b, nil
	}
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil); err != nil {
		return nil, errBadCompression
	}
	out, err := io.ReadAll(io.LimitReader(r, MaxRevisionJSON+1))
	if err != nil {
		return nil, errBadCompression
	}
	if len(out) > MaxRevisionJSON {
		return nil, ErrRecordTooLarge
	}
	return out, nil
}
