package crypto

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// The evidence stream format (see SECURITY.md, "Evidence files"):
//
//	header = "casevault-evidence/v1\n" ‖ HMAC-SHA-256(HKDF(key, "stream header"), magic ‖ id)
//	chunk  = ChaCha20-Poly1305(HKDF(key, "stream chunks"), nonce, plaintext, ad)
//	nonce  = counter(11 bytes, big-endian) ‖ last(1 byte: 0 or 1)
//	ad     = "casevault evidence chunk v1\x00" ‖ id ‖ counter(8 bytes, big-endian)
//
// Every chunk but the last holds exactly [StreamChunkSize] bytes of
// plaintext; the last holds fewer (possibly none, so an empty file is one
// empty final chunk). The last-chunk flag in the nonce makes truncation at a
// chunk boundary detectable, the counter makes reordering and dropping
// detectable, the ID in the additional data and the header MAC bind a stream
// to one evidence item, and bytes after the final chunk are an error.
const (
	// StreamMagic opens every evidence stream.
	StreamMagic = "casevault-evidence/v1\n"
	// StreamChunkSize is the plaintext size of every chunk but the last.
	StreamChunkSize = 64 << 10
	// StreamHeaderSize is the size of the stream header.
	StreamHeaderSize = len(StreamMagic) + sha256.Size

	streamTagSize   = chacha20poly1305.Overhead
	streamSealedMax = StreamChunkSize + streamTagSize
	streamAD        = "casevault evidence chunk v1\x00"
)

// ErrStreamTampered is returned when an evidence stream fails
// authentication: a chunk was altered, reordered, dropped, truncated,
// appended, or the stream belongs to another evidence item or key.
var ErrStreamTampered = fmt.Errorf("evidence stream: %w", ErrTampered)

// StreamSize returns the size of the sealed stream of n plaintext bytes.
func StreamSize(n int64) int64 {
	chunks := n/StreamChunkSize + 1 // the last chunk is never full
	return int64(StreamHeaderSize) + n + chunks*streamTagSize
}

type streamKeys struct {
	aead   cipher.AEAD
	header []byte
}

func newStreamKeys(key Key, id []byte) (streamKeys, []byte) {
	ck := DeriveKey(key, "evidence stream chunks")
	hk := DeriveKey(key, "evidence stream header")
	aead, err := chacha20poly1305.New(ck[:])
	if err != nil {
		panic(err) // unreachable: the key size is fixed
	}
	m := hmac.New(sha256.New, hk[:])
	m.Write([]byte(StreamMagic))
	m.Write(id)
	hdr := append([]byte(StreamMagic), m.Sum(nil)...)
	Wipe(ck[:])
	Wipe(hk[:])
	ad := append([]byte(streamAD), id...)
	ad = append(ad, make([]byte, 8)...)
	return streamKeys{aead: aead, header: hdr}, ad
}

func streamNonce(n *[chacha20poly1305.NonceSize]byte, counter uint64, last bool) {
	clear(n[:])
	binary.BigEndian.PutUint64(n[3:11], counter)
	if last {
		n[11] = 1
	}
}

// A StreamWriter seals a plaintext stream into the evidence stream format.
// Close must be called to write the final chunk.
type StreamWriter struct {
	w       io.Writer
	k       streamKeys
	ad      []byte
	buf     []byte // pending plaintext, fewer than StreamChunkSize bytes
	out     []byte
	counter uint64
	nonce   [chacha20poly1305.NonceSize]byte
	err     error
}

// NewStreamWriter writes the header of a stream sealed under key for the
// item id, and returns a writer for its plaintext.
func NewStreamWriter(w io.Writer, key Key, id []byte) (*StreamWriter, error) {
	k, ad := newStreamKeys(key, id)
	if _, err := w.Write(k.header); err != nil {
		return nil, err
	}
	return &StreamWriter{w: w, k: k, ad: ad, buf: make([]byte, 0, StreamChunkSize), out: make([]byte, 0, streamSealedMax)}, nil
}

func (s *StreamWriter) seal(p []byte, last bool) error {
	if s.counter >= 1<<63 {
		return errors.New("evidence stream: too many chunks")
	}
	streamNonce(&s.nonce, s.counter, last)
	binary.BigEndian.PutUint64(s.ad[len(s.ad)-8:], s.counter)
	s.out = s.k.aead.Seal(s.out[:0], s.nonce[:], p, s.ad)
	s.counter++
	_, err := s.w.Write(s.out)
	return err
}

// Write seals p, a full chunk at a time.
func (s *StreamWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n := 0
	for len(p) > 0 {
		if len(s.buf) == 0 && len(p) >= StreamChunkSize {
			// A full chunk straight from the caller's buffer: no copy.
			if err := s.seal(p[:StreamChunkSize], false); err != nil {
				s.err = err
				return n, err
			}
			p = p[StreamChunkSize:]
			n += StreamChunkSize
			continue
		}
		m := copy(s.buf[len(s.buf):StreamChunkSize], p)
		s.buf = s.buf[:len(s.buf)+m]
		p = p[m:]
		n += m
		if len(s.buf) == StreamChunkSize {
			if err := s.seal(s.buf, false); err != nil {
				s.err = err
				return n, err
			}
			s.buf = s.buf[:0]
		}
	}
	return n, nil
}

// Close seals the final chunk (fewer than StreamChunkSize bytes, possibly
// none). It does not close the underlying writer.
func (s *StreamWriter) Close() error {
	if s.err != nil {
		return s.err
	}
	err := s.seal(s.buf, true)
	clear(s.buf[:cap(s.buf)])
	s.buf = s.buf[:0]
	if err != nil {
		s.err = err
		return err
	}
	s.err = errors.New("evidence stream: write after close")
	return nil
}

// A StreamReader opens an evidence stream. It returns plaintext only after
// the chunk holding it has been authenticated, and io.EOF only after the
// final chunk has been authenticated and nothing follows it.
type StreamReader struct {
	r       io.Reader
	k       streamKeys
	ad      []byte
	in      []byte
	plain   []byte // authenticated plaintext not yet returned
	counter uint64
	nonce   [chacha20poly1305.NonceSize]byte
	done    bool
	err     error
}

// NewStreamReader reads and checks the header of a stream sealed under key
// for the item id. A header that does not match returns
// [ErrStreamTampered].
func NewStreamReader(r io.Reader, key Key, id []byte) (*StreamReader, error) {
	k, ad := newStreamKeys(key, id)
	hdr := make([]byte, StreamHeaderSize)
	if _, err := io.ReadFull(r, hdr); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: header truncated", ErrStreamTampered)
		}
		return nil, err
	}
	if string(hdr[:len(StreamMagic)]) != StreamMagic {
		return nil, fmt.Errorf("%w: not an evidence stream (bad magic)", ErrStreamTampered)
	}
	if !hmac.Equal(hdr, k.header) {
		return nil, fmt.Errorf("%w: header belongs to another evidence item or key", ErrStreamTampered)
	}
	return &StreamReader{r: r, k: k, ad: ad, in: make([]byte, streamSealedMax)}, nil
}

// CheckStreamHeader reads only the header of a stream and checks that it
// was made for key and id.
func CheckStreamHeader(r io.Reader, key Key, id []byte) error {
	_, err := NewStreamReader(r, key, id)
	return err
}

func (s *StreamReader) next() error {
	n, err := io.ReadFull(s.r, s.in)
	switch {
	case err == nil:
		// A full-size chunk is never the last one.
		return s.open(s.in[:n], false)
	case errors.Is(err, io.ErrUnexpectedEOF):
		if n < streamTagSize {
			return fmt.Errorf("%w: chunk %d truncated", ErrStreamTampered, s.counter)
		}
		if err := s.open(s.in[:n], true); err != nil {
			return err
		}
		s.done = true
		return nil
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: stream ends without its final chunk (truncated or last chunk dropped)", ErrStreamTampered)
	default:
		return err
	}
}

func (s *StreamReader) open(sealed []byte, last bool) error {
	if s.counter >= 1<<63 {
		return fmt.Errorf("%w: too many chunks", ErrStreamTampered)
	}
	streamNonce(&s.nonce, s.counter, last)
	binary.BigEndian.PutUint64(s.ad[len(s.ad)-8:], s.counter)
	pt, err := s.k.aead.Open(sealed[:0], s.nonce[:], sealed, s.ad)
	if err != nil {
		return fmt.Errorf("%w: chunk %d does not authenticate", ErrStreamTampered, s.counter)
	}
	s.counter++
	s.plain = pt
	return nil
}

// Read returns authenticated plaintext.
func (s *StreamReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	for len(s.plain) == 0 {
		if s.done {
			// Anything after the final chunk is an appended chunk.
			var one [1]byte
			n, err := io.ReadFull(s.r, one[:])
			switch {
			case n > 0:
				s.err = fmt.Errorf("%w: data after the final chunk", ErrStreamTampered)
			case errors.Is(err, io.EOF):
				s.err = io.EOF
			default:
				s.err = err
			}
			return 0, s.err
		}
		if err := s.next(); err != nil {
			s.err = err
			return 0, err
		}
	}
	n := copy(p, s.plain)
	s.plain = s.plain[n:]
	return n, nil
}

// WriteTo streams all remaining authenticated plaintext to w, a chunk per
// write, without an intermediate copy.
func (s *StreamReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if len(s.plain) > 0 {
			n, err := w.Write(s.plain)
			total += int64(n)
			s.plain = s.plain[n:]
			if err != nil {
				return total, err
			}
			continue
		}
		_, err := s.Read(nil)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
