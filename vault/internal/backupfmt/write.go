package backupfmt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
)

// A Writer writes a backup payload: framed parts, keeping the size and
// SHA-256 of each for the trailer Close writes.
type Writer struct {
	w    io.Writer
	sums []partSum
	cur  *partSum
	h    hashWriter
	buf  []byte
}

type hashWriter interface {
	io.Writer
	Sum([]byte) []byte
}

// Begin starts a part of the given kind and name; its data is written
// with Write and it ends with End.
func (pw *Writer) Begin(kind byte, name string) error {
	if len(name) > maxPartName {
		return fmt.Errorf("backup part name too long: %q", name)
	}
	hdr := []byte{kind, 0, 0}
	binary.BigEndian.PutUint16(hdr[1:], uint16(len(name)))
	if _, err := pw.w.Write(append(hdr, name...)); err != nil {
		return err
	}
	pw.cur = &partSum{Kind: string(kind), Name: name}
	pw.h = sha256.New()
	pw.buf = pw.buf[:0]
	return nil
}

// Write buffers data of the current part into chunks of backupChunk bytes.
func (pw *Writer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), backupChunk-len(pw.buf))
		pw.buf = append(pw.buf, p[:k]...)
		p = p[k:]
		if len(pw.buf) == backupChunk {
			if err := pw.flushChunk(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (pw *Writer) flushChunk() error {
	if len(pw.buf) == 0 {
		return nil
	}
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(pw.buf)))
	if _, err := pw.w.Write(l[:]); err != nil {
		return err
	}
	if _, err := pw.w.Write(pw.buf); err != nil {
		return err
	}
	pw.h.Write(pw.buf)
	pw.cur.Size += int64(len(pw.buf))
	pw.buf = pw.buf[:0]
	return nil
}

// End ends the current part.
func (pw *Writer) End() error {
	if err := pw.flushChunk(); err != nil {
		return err
	}
	if _, err := pw.w.Write([]byte{0, 0, 0, 0}); err != nil {
		return err
	}
	pw.cur.SHA256 = hex.EncodeToString(pw.h.Sum(nil))
	pw.sums = append(pw.sums, *pw.cur)
	pw.cur = nil
	return nil
}

func (pw *Writer) part(kind byte, name string, r io.Reader) error {
	if err := pw.Begin(kind, name); err != nil {
		return err
	}
	if _, err := io.Copy(pw, r); err != nil {
		return err
	}
	return pw.End()
}

// WriteHeader writes the clear header of a backup file: the magic line
// and the passphrase-protected identity.age. The age payload follows it.
func WriteHeader(w io.Writer, identity []byte) error {
	if _, err := fmt.Fprintf(w, "%sidentity %d\n", backupMagic, len(identity)); err != nil {
		return err
	}
	_, err := w.Write(identity)
	return err
}

// NewWriter starts a payload on w (the age stream) with its magic line
// and the manifest part.
func NewWriter(w io.Writer, m *Manifest) (*Writer, error) {
	if _, err := io.WriteString(w, payloadMagic); err != nil {
		return nil, err
	}
	pw := &Writer{w: w}
	mj, _ := json.Marshal(m)
	if err := pw.part(partManifest, "manifest", bytes.NewReader(mj)); err != nil {
		return nil, err
	}
	return pw, nil
}

// File writes a key file part.
func (pw *Writer) File(name string, data []byte) error {
	return pw.part(partFile, name, bytes.NewReader(data))
}

// BeginStore starts the store part: the store's key/value stream is
// written to pw, then End ends it.
func (pw *Writer) BeginStore() error { return pw.Begin(partDB, "store") }

// Blob writes an evidence file part, rel being its path below blobs/.
func (pw *Writer) Blob(rel string, r io.Reader) error { return pw.part(partBlob, rel, r) }

// Close writes the trailer: the size and SHA-256 of every part before it.
// The caller then closes the age stream.
func (pw *Writer) Close() error {
	tj, _ := json.Marshal(backupTrailer{Parts: pw.sums})
	return pw.part(partTrailer, "trailer", bytes.NewReader(tj))
}
