package vault

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"sync"

	"github.com/casevault/casevault/schema"
)

// Revision records are compressed before they are sealed: plaintext
// 'z' ‖ DEFLATE(JSON). Records that start with '{' are plain JSON (written
// before compression was introduced) and are read as they are.
const compressedMarker = 'z'

// maxRevisionJSON bounds what a compressed revision may inflate to.
const maxRevisionJSON = 4*schema.MaxCaseFileSize + 64<<10

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(nil) }}

// compressRecord returns 'z' ‖ DEFLATE(b).
func compressRecord(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + 64)
	buf.WriteByte(compressedMarker)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(b) // writes to a bytes.Buffer do not fail
	w.Close()
	flateWriters.Put(w)
	return buf.Bytes()
}

var errBadCompression = errors.New("compressed record does not inflate")

// decompressRecord undoes compressRecord; plain JSON is returned as is.
func decompressRecord(b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != compressedMarker {
		return b, nil
	}
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil); err != nil {
		return nil, errBadCompression
	}
	out, err := io.ReadAll(io.LimitReader(r, maxRevisionJSON+1))
	if err != nil || len(out) > maxRevisionJSON {
		return nil, errBadCompression
	}
	return out, nil
}
