package vault

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
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

// errRecordTooLarge is a revision that inflates beyond maxRevisionJSON:
// one stored by a casevault that did not bound YAML alias expansion. It
// can be removed and purged (see revisionHead), not read.
var errRecordTooLarge = fmt.Errorf("revision is larger than %d bytes once inflated, too large to read; the case can only be removed or purged", maxRevisionJSON)

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
	if err != nil {
		return nil, errBadCompression
	}
	if len(out) > maxRevisionJSON {
		return nil, errRecordTooLarge
	}
	return out, nil
}
