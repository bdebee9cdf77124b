package evidence

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/atomicfile"
	"github.com/gabriel-vasile/mimetype"
)

// Blob files.
const (
	NameLen       = 32 // hex digits of a blob file name (128 random bits)
	TmpPrefix     = ".tmp-"
	blobPipeDepth = 8    // blocks in flight between the two goroutines
	sniffSize     = 3072 // bytes given to the media type sniffer
)

// ValidName reports whether n is the name of a blob file: NameLen
// lower-case hex digits.
func ValidName(n string) bool {
	if len(n) != NameLen {
		return false
	}
	_, err := hex.DecodeString(n)
	return err == nil && strings.ToLower(n) == n
}

// A Blob is a sealed blob file written by Write.
type Blob struct {
	Name      string     // file name in the blob directory
	Key       crypto.Key // its own random stream key
	Size      int64      // plaintext bytes
	SHA256    []byte     // of the plaintext
	MediaType string     // sniffed from the first bytes
}

// Write streams r into a new sealed blob file in dir, sealed with a fresh
// key and the additional data ad (the evidence ID): the plaintext is
// hashed and sniffed while it is read (on one goroutine) and sealed and
// written (on another) to a temporary file in dir, which is synced and
// linked to a random final name, never replacing a file.
func Write(dir string, ad []byte, r io.Reader) (*Blob, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	b := &Blob{Name: randomHex(NameLen / 2), Key: crypto.NewKey()}
	// A random final name, never replacing anything (NoClobber): the file
	// is linked into place only once sealed and synced; each sealed chunk
	// goes to the file in one write, with no copy through a buffer.
	f, err := atomicfile.Create(filepath.Join(dir, b.Name), atomicfile.Options{NoClobber: true, Sync: true,
		TempPrefix: TmpPrefix, Writeback: true})
	if err != nil {
		return nil, err
	}
	sw, err := crypto.NewStreamWriter(f, b.Key, ad)
	if err != nil {
		f.Abort()
		return nil, err
	}
	hr := &hashingReader{r: r, h: sha256.New()}
	n, err := pipeCopy(sw, hr)
	if err == nil {
		err = sw.Close()
	}
	if err != nil {
		f.Abort()
		return nil, err
	}
	if err := f.Commit(); err != nil {
		return nil, err
	}
	b.Size = n
	b.SHA256 = hr.h.Sum(nil)
	b.MediaType = mimetype.Detect(hr.head).String()
	return b, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Stream opens, authenticates and hashes the blob of rec in dir, writing
// its plaintext to w. Reading and decrypting run on one goroutine,
// hashing and writing on another. A missing, tampered, short or
// mismatching blob is a *DamagedError; some verified plaintext may then
// already have been written to w.
func Stream(dir string, rec *Record, w io.Writer) error {
	damaged := func(err error) error { return &DamagedError{Evidence: rec.ID, Err: err} }
	f, err := OpenBlob(filepath.Join(dir, rec.Blob))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return damaged(errors.New("its file is missing from the vault"))
		}
		if errors.Is(err, ErrNotRegular) {
			return damaged(err)
		}
		return err
	}
	defer f.Close()
	return StreamFrom(f, rec, w)
}

// StreamFrom is Stream reading the sealed blob from r (an evidence item
// kept in an object store).
func StreamFrom(r io.Reader, rec *Record, w io.Writer) error {
	damaged := func(err error) error { return &DamagedError{Evidence: rec.ID, Err: err} }
	// The stream reader reads one sealed chunk per read, straight into its
	// own buffer.
	sr, err := crypto.NewStreamReader(r, rec.Key(), rec.EvidenceID().Bytes())
	if err != nil {
		if errors.Is(err, crypto.ErrTampered) {
			return damaged(err)
		}
		return err
	}
	hw := &hashingWriter{w: w, h: sha256.New()}
	n, err := pipeCopy(hw, sr)
	if err != nil {
		if errors.Is(err, crypto.ErrTampered) {
			return damaged(err)
		}
		return err
	}
	if n != rec.Size {
		return damaged(fmt.Errorf("size %d, expected %d", n, rec.Size))
	}
	if got := hex.EncodeToString(hw.h.Sum(nil)); got != rec.SHA256 {
		return damaged(fmt.Errorf("SHA-256 %s, expected %s", got, rec.SHA256))
	}
	return nil
}

// pipeBlockSize is the size of the blocks handed between the goroutines of
// pipeCopy. It is small enough for a block to stay in the CPU cache
// between being produced and being consumed.
const pipeBlockSize = 128 << 10

// hashingReader hashes what it reads and keeps the first sniffSize bytes.
type hashingReader struct {
	r    io.Reader
	h    hash.Hash
	head []byte
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.h.Write(p[:n])
		if len(h.head) < sniffSize {
			h.head = append(h.head, p[:min(n, sniffSize-len(h.head))]...)
		}
	}
	return n, err
}

// hashingWriter hashes what it writes.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
}

func (h *hashingWriter) Write(p []byte) (int, error) {
	h.h.Write(p)
	return h.w.Write(p)
}

// pipeCopy copies src to dst with reading and writing on separate
// goroutines, through blobPipeDepth blocks of pipeBlockSize bytes, so that
// (for example) hashing the input and sealing the output run on two cores.
// Memory stays bounded whatever the size of the stream.
func pipeCopy(dst io.Writer, src io.Reader) (int64, error) {
	type block struct {
		buf []byte
		n   int
	}
	free := make(chan []byte, blobPipeDepth)
	for range blobPipeDepth {
		free <- make([]byte, pipeBlockSize)
	}
	full := make(chan block, blobPipeDepth)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(full)
		for {
			select {
			case <-stop:
				readErr <- nil
				return
			default:
			}
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				readErr <- nil
				return
			}
			n, err := io.ReadFull(src, buf)
			if n > 0 {
				full <- block{buf, n}
			} else {
				free <- buf
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				readErr <- nil
				return
			}
			if err != nil {
				readErr <- err
				return
			}
		}
	}()
	var total int64
	var werr error
	for b := range full {
		if werr == nil {
			var n int
			n, werr = dst.Write(b.buf[:b.n])
			total += int64(n)
			if werr != nil {
				close(stop)
			}
		}
		free <- b.buf
	}
	rerr := <-readErr
	for range blobPipeDepth {
		clear(<-free) // no plaintext left in memory
	}
	if werr != nil {
		return total, werr
	}
	return total, rerr
}

// ErrNotRegular is why a blob that is a link, a FIFO, a directory or a
// device is refused: the vault writes only regular files there, so
// anything else was planted.
var ErrNotRegular = errors.New("its file in the vault is not a regular file (a link, directory or device was put in its place)")

// OpenBlob opens a blob for reading without following a symbolic link
// and without blocking on a FIFO, and refuses anything but a regular file.
func OpenBlob(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.OpenFile(path, openBlobFlags, 0)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			// ELOOP: swapped for a link between Lstat and open.
			if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
				return nil, ErrNotRegular
			}
		}
		return nil, err
	}
	if fi, err := f.Stat(); err != nil {
		f.Close()
		return nil, err
	} else if !fi.Mode().IsRegular() {
		f.Close()
		return nil, ErrNotRegular
	}
	return f, nil
}
