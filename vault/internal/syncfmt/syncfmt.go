// Package syncfmt is the format of the objects casevault keeps in an
// S3-compatible object store (see SECURITY.md, "Sync through object
// storage"): random object names, small objects sealed whole, evidence
// blobs sealed as a stream, and the pack of store records a sync uploads.
// Everything here treats its input as hostile: sizes and counts are
// bounded before anything is allocated.
package syncfmt

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// Limits on what is read from the object store.
const (
	// MaxObject bounds a sealed small object (a pack, the inbox entry of a
	// bundle): larger ones are refused before they are read.
	MaxObject = 64 << 20
	// PackTarget is the size at which a sync starts a new pack.
	PackTarget = 8 << 20
	// MaxEntries bounds the entries of one pack.
	MaxEntries = 1 << 20
	// MaxKey and MaxValue bound one entry.
	MaxKey   = 64
	MaxValue = 16 << 20
	// NameLen is the length of an object's random name (hex of 16 bytes).
	NameLen = 32
	// IDLen is the length of the vault's sync ID.
	IDLen = 16
)

// ErrDamaged is returned for an object that does not open under the
// vault's sync key at its name: altered, planted, moved or truncated.
var ErrDamaged = errs.New(errs.ErrDamaged, "object does not open under this vault's sync key at its name (altered, planted or moved)")

// NewName returns a fresh object name at the local clock's time (NewNameAt).
func NewName() string { return NewNameAt(time.Now()) }

// NewNameAt returns a fresh object name for an object written at t: the
// milliseconds since 1970 in 12 hex digits, then 80 random bits. Names so
// sort by the time they were written, and a sync lists only the names
// after the last it saw (S3 ListObjects StartAfter); the store learns
// nothing it does not see already (each object's time of writing).
// Names of the previous version are 32 random hex digits of the same
// form.
func NewNameAt(t time.Time) string {
	var b [NameLen / 2]byte
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err)
	}
	ms := uint64(max(t.UnixMilli(), 0))
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	return hex.EncodeToString(b[:])
}

// NameAfter returns the name below every name NewNameAt gives for a
// time at or after t: where a listing of the objects written since t
// starts.
func NameAfter(t time.Time) string { return NewNameAt(t)[:12] }

// ValidName reports whether n has the form of an object name.
func ValidName(n string) bool {
	if len(n) != NameLen {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Keys are the keys of one vault's objects.
type Keys struct {
	obj  crypto.Key // small objects
	blob crypto.Key // blob streams
	ID   []byte     // the vault's sync ID (IDLen bytes), bound into every object
}

// DeriveKeys derives the sync keys from the vault's master key: the same
// master key (two laptops of one organisation) gives the same keys.
func DeriveKeys(mk crypto.Key) Keys {
	sk := crypto.DeriveKey(mk, "sync objects")
	idk := crypto.DeriveKey(mk, "sync vault id")
	k := Keys{obj: crypto.DeriveKey(sk, "small objects"), blob: crypto.DeriveKey(sk, "blob streams"),
		ID: crypto.MAC(idk, []byte("casevault sync vault id"))[:IDLen]}
	crypto.Wipe(sk[:])
	crypto.Wipe(idk[:])
	return k
}

// HexID is the sync ID in hex (for messages and the remote's marker).
func (k Keys) HexID() string { return hex.EncodeToString(k.ID) }

func (k Keys) ad(name string) []byte {
	ad := append([]byte("casevault sync object v1\x00"), k.ID...)
	return append(ad, name...)
}

// Kinds of small objects (the first byte of the sealed plaintext).
const (
	KindPack  = 'P' // store records of cases (Pack)
	KindInbox = 'I' // a bundle left in an inbox
)

// Padding of small objects: the sealed plaintext is the kind byte, the
// body's length (4 bytes, big-endian), the body and zero bytes up to
// PaddedSize, so an object's size tells only its bucket (see SECURITY.md,
// "What the store operator sees"). The padding is inside the AEAD: it is
// authenticated, and Open also requires it to be zeros of exactly the
// bucket's length.
const (
	padHeader = 1 + 4
	// PadMin is the smallest bucket; buckets double up to PadStep, then
	// grow by PadStep.
	PadMin  = 16 << 10
	PadStep = 1 << 20
)

// PaddedSize is the padded plaintext size for a plaintext of n bytes.
func PaddedSize(n int) int {
	if n <= PadMin {
		return PadMin
	}
	if n <= PadStep {
		b := PadMin
		for b < n {
			b <<= 1
		}
		return b
	}
	return (n + PadStep - 1) / PadStep * PadStep
}

// SealedSize is the size of the sealed small object holding a body of n bytes.
func SealedSize(n int) int { return PaddedSize(padHeader+n) + crypto.SealOverhead }

// Seal seals a small object of kind at name, padded to its bucket.
func (k Keys) Seal(name string, kind byte, body []byte) []byte {
	pt := make([]byte, PaddedSize(padHeader+len(body)))
	pt[0] = kind
	binary.BigEndian.PutUint32(pt[1:padHeader], uint32(len(body)))
	copy(pt[padHeader:], body)
	sealed := crypto.Seal(k.obj, pt, k.ad(name))
	crypto.Wipe(pt)
	return sealed
}

// Open opens the small object at name and requires its kind and its
// padding (zeros up to the bucket of its length).
func (k Keys) Open(name string, kind byte, sealed []byte) ([]byte, error) {
	if len(sealed) > MaxObject {
		return nil, fmt.Errorf("object %s: %d bytes, more than %d: %w", name, len(sealed), MaxObject, ErrDamaged)
	}
	pt, err := crypto.Open(k.obj, sealed, k.ad(name))
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, ErrDamaged)
	}
	if len(pt) < padHeader || pt[0] != kind {
		return nil, fmt.Errorf("object %s: not of the expected kind: %w", name, ErrDamaged)
	}
	n := int(binary.BigEndian.Uint32(pt[1:padHeader]))
	if n > len(pt)-padHeader || PaddedSize(padHeader+n) != len(pt) {
		return nil, fmt.Errorf("object %s: padding does not match its length: %w", name, ErrDamaged)
	}
	for _, c := range pt[padHeader+n:] {
		if c != 0 {
			return nil, fmt.Errorf("object %s: padding is not zeros: %w", name, ErrDamaged)
		}
	}
	return pt[padHeader : padHeader+n], nil
}

// BlobWriter returns a writer that seals a stream into w as the blob
// object at name. The stream's magic line is left out (every object starts
// with key material only, so the kinds cannot be told apart by content);
// Close writes the final chunk.
func (k Keys) BlobWriter(w io.Writer, name string) (io.WriteCloser, error) {
	return crypto.NewStreamWriter(&skipWriter{w: w, skip: len(crypto.StreamMagic)}, k.blob, k.ad(name))
}

// BlobReader returns a reader of the plaintext of the blob object at name
// read from r: every chunk is authenticated before it is released, and the
// end only after the final chunk.
func (k Keys) BlobReader(r io.Reader, name string) (io.Reader, error) {
	sr, err := crypto.NewStreamReader(io.MultiReader(bytes.NewReader([]byte(crypto.StreamMagic)), r), k.blob, k.ad(name))
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, ErrDamaged)
	}
	return &blobReader{r: sr, name: name}, nil
}

// BlobSize is the size of the blob object holding n bytes.
func BlobSize(n int64) int64 { return crypto.StreamSize(n) - int64(len(crypto.StreamMagic)) }

type blobReader struct {
	r    io.Reader
	name string
}

func (b *blobReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		if errors.Is(err, crypto.ErrTampered) {
			err = fmt.Errorf("object %s: %w: %w", b.name, ErrDamaged, err)
		}
	}
	return n, err
}

type skipWriter struct {
	w    io.Writer
	skip int
}

func (s *skipWriter) Write(p []byte) (int, error) {
	n := len(p)
	if s.skip > 0 {
		d := min(s.skip, len(p))
		s.skip -= d
		p = p[d:]
	}
	if len(p) == 0 {
		return n, nil
	}
	if _, err := s.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// An Entry is one record of a pack: a store key and its value as stored
// (sealed under the vault's keys and bound to the key), plus for a
// revision the SHA-256 of the revision before it on the side that wrote
// it (Parent, empty for revision 1 and other kinds), and for an evidence
// record the name of the blob object holding its file (Blob).
type Entry struct {
	Key    []byte
	Value  []byte
	Parent []byte
	Blob   string
	Size   int64 // of the blob object
}

// EncodePack encodes entries as the body of a pack object.
func EncodePack(es []Entry) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(es)))
	for _, e := range es {
		b = appendBytes(b, e.Key)
		b = appendBytes(b, e.Value)
		b = appendBytes(b, e.Parent)
		b = appendBytes(b, []byte(e.Blob))
		b = binary.AppendUvarint(b, uint64(e.Size))
	}
	return b
}

func appendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

// DecodePack decodes the body of a pack, bounding counts and sizes before
// allocating.
func DecodePack(b []byte) ([]Entry, error) {
	r := &reader{b: b}
	n := r.uvarint()
	if r.err == nil && (n > MaxEntries || n > uint64(len(b))) {
		return nil, errors.New("pack: too many entries")
	}
	es := make([]Entry, 0, int(min(n, 1<<14)))
	for i := uint64(0); i < n && r.err == nil; i++ {
		var e Entry
		e.Key = r.bytes(MaxKey)
		e.Value = r.bytes(MaxValue)
		e.Parent = r.bytes(32)
		e.Blob = string(r.bytes(NameLen))
		size := r.uvarint()
		if size > 1<<50 {
			r.fail("blob size")
		}
		e.Size = int64(size)
		if r.err == nil && (len(e.Key) == 0 || e.Blob != "" && !ValidName(e.Blob)) {
			r.fail("entry")
		}
		es = append(es, e)
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	return es, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("pack: bad %s", what)
	}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("length")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(max int) []byte {
	n := r.uvarint()
	if r.err != nil {
		return nil
	}
	if n > uint64(max) || n > uint64(len(r.b)) {
		r.fail("length")
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

// BlobHeader returns the first bytes of the blob object at name: a MAC of
// the name under the blob key. Only a key holder can compute it, so it
// tells blobs from packs without telling the store.
func (k Keys) BlobHeader(name string) []byte {
	var b bytes.Buffer
	if _, err := k.BlobWriter(&b, name); err != nil {
		panic(err) // unreachable: a buffer does not fail
	}
	return b.Bytes()
}

// BlobKey returns the key and sync ID a blob object is sealed under, to be
// recorded with the object (a rekey changes the vault's keys, not the
// objects already stored).
func (k Keys) BlobKey() (crypto.Key, []byte) { return k.blob, append([]byte(nil), k.ID...) }

// BlobKeys returns the keys of blob objects sealed under blob and sync ID
// id (recorded by BlobKey); only blobs open under them.
func BlobKeys(blob crypto.Key, id []byte) Keys {
	return Keys{blob: blob, ID: append([]byte(nil), id...)}
}
