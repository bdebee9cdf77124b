// Package backupfmt is the backup wire format: the clear header carrying
// the passphrase-protected identity, and inside the age payload the
// manifest, the framed parts with their chunks, and the trailer of
// SHA-256s. It knows nothing of the vault: the store's key/value stream
// is passed in and out as an io.Reader/io.Writer, and the caller encrypts
// and decrypts the payload.
package backupfmt

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casevault/casevault/schema/bounds"
)

// Backup file format (see SECURITY.md, "Backup"):
//
//	"casevault backup v1\n"
//	"identity " <decimal length> "\n" <identity.age, as in the vault>
//	<age file encrypted to the organisation's recipient, to the end>
//
// The age payload is a sequence of parts, after the line
// "casevault backup payload v1\n". A part is a kind byte, a name (uint16
// big-endian length, bytes) and its data as chunks (uint32 big-endian
// length, bytes) ended by an empty chunk. The parts come in this order:
// 'H' the manifest (JSON), 'F' identity.age, 'F' master.age, 'D' the Badger
// backup stream, 'B' one per evidence file (name relative to blobs/), 'T'
// the trailer (JSON: size and SHA-256 of every part before it).
const (
	backupMagic  = "casevault backup v1\n"
	payloadMagic = "casevault backup payload v1\n"
	// Version is the backup format version this casevault writes: 2, a
	// link of a backup chain (see chain.go). Version 1 (a whole vault,
	// unsigned, no chain) is still read.
	Version = 2
	// VersionV1 is the first backup format: one full backup, no chain.
	VersionV1 = 1
	// Format is the manifest's format field.
	Format = "casevault-backup"

	partManifest = 'H'
	partFile     = 'F'
	partDB       = 'D'
	partBlob     = 'B'
	partTrailer  = 'T'
	partLive     = 'L'

	backupChunk    = 1 << 20  // largest chunk written and accepted
	maxPartName    = 255      // bytes
	maxJSONPart    = 1 << 20  // manifest and trailer
	maxBackupParts = 10 << 20 // parts in one backup

	// IdentityFile and MasterFile are the names of the vault's key files,
	// the two 'F' parts; MaxKeyFile bounds each.
	IdentityFile = "identity.age"
	MasterFile   = "master.age"
	MaxKeyFile   = 64 << 10
)

// JSONLimits bound the structure of the manifest and the trailer.
var JSONLimits = bounds.Wire

// A Manifest describes the vault a backup was made of.
type Manifest struct {
	Format       string    `json:"format"` // "casevault-backup"
	Version      int       `json:"version"`
	Org          string    `json:"org"`
	Recipient    string    `json:"recipient"`
	Created      time.Time `json:"created"`
	VaultCreated time.Time `json:"vault_created"`
	Cases        int       `json:"cases"`
	Revisions    int       `json:"revisions"`
	Evidence     int       `json:"evidence"`
	EvidenceFile int       `json:"evidence_files"`
	AuditHead    AuditHead `json:"audit_head"`
	// Chain places a version 2 backup in its backup chain; nil in
	// version 1.
	Chain *Chain `json:"chain,omitempty"`

	// Blobs are the evidence files, relative to blobs/, in the order the
	// backup holds them; set by the writer's caller, not stored.
	Blobs []string `json:"-"`

	// Witnesses are the partners that hold audit heads of the restored
	// vault; set by the vault's restore, not stored.
	Witnesses []string `json:"-"`

	// Live is, in a version 2 backup, every key of the store and every
	// evidence file of the vault when the link was made (the 'L' parts):
	// what a restore of a chain keeps. Set by the reader, not stored in
	// the manifest.
	Live *Live `json:"-"`

	// Signed and Sig are, in a version 2 backup, the message the
	// trailer's signature covers (SignedMessage of the parts' sums) and
	// the signature; set by the reader for the caller to verify with the
	// organisation's key.
	Signed []byte `json:"-"`
	Sig    []byte `json:"-"`
}

// Live lists what the vault held when a link was made.
type Live struct {
	Keys  [][]byte // store keys, in store order
	Blobs []string // evidence files, relative to blobs/
}

type backupTrailer struct {
	Parts []partSum `json:"parts"`
	Sig   []byte    `json:"sig,omitempty"` // version 2: ed25519 over SignedMessage(parts)
}

type partSum struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// An AuditHead is the vault's audit head as the manifest carries it: the
// sequence number and hash of the last entry of its audit log.
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Error reports a backup file that cannot be read: truncated,
// damaged, not a backup, or made for another organisation.
type Error struct{ Msg string }

func (e *Error) Error() string { return "backup: " + e.Msg }

// Errorf returns an Error.
func Errorf(format string, a ...any) error { return &Error{Msg: fmt.Sprintf(format, a...)} }

// ReadHeader reads the clear part of a backup file and returns the
// passphrase-protected identity.age it carries.
func ReadHeader(r *bufio.Reader) ([]byte, error) {
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != backupMagic {
		if err == nil && strings.HasPrefix(string(magic), "casevault backup v") {
			return nil, Errorf("unsupported backup format %q; this casevault reads version %d", strings.TrimSpace(string(magic)), Version)
		}
		return nil, Errorf("not a casevault backup file")
	}
	line, err := readLine(r, 32)
	if err != nil || !strings.HasPrefix(line, "identity ") {
		return nil, Errorf("damaged header")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(line, "identity "))
	if err != nil || n <= 0 || n > MaxKeyFile {
		return nil, Errorf("damaged header (identity length)")
	}
	id := make([]byte, n)
	if _, err := io.ReadFull(r, id); err != nil {
		return nil, Errorf("truncated in the identity")
	}
	return id, nil
}

func readLine(r *bufio.Reader, limit int) (string, error) {
	var b []byte
	for len(b) <= limit {
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		if c == '\n' {
			return string(b), nil
		}
		b = append(b, c)
	}
	return "", errors.New("line too long")
}

// A partReader reads the framed parts of a backup payload.
type partReader struct {
	r    *bufio.Reader
	kind byte
	name string
	left int  // bytes left in the current chunk
	done bool // the current part's end chunk was read
	h    hashWriter
	size int64
	sums []partSum
	n    int
}

// next reads the header of the next part. It returns io.EOF at the end of
// the stream (allowed only after the trailer, which the caller checks).
func (p *partReader) next() error {
	if p.h != nil && !p.done {
		return Errorf("part %q not read to its end", p.name)
	}
	k, err := p.r.ReadByte()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return p.wrap(err)
	}
	var l [2]byte
	if _, err := io.ReadFull(p.r, l[:]); err != nil {
		return p.wrap(err)
	}
	nl := int(binary.BigEndian.Uint16(l[:]))
	if nl > maxPartName {
		return Errorf("part name of %d bytes", nl)
	}
	name := make([]byte, nl)
	if _, err := io.ReadFull(p.r, name); err != nil {
		return p.wrap(err)
	}
	if p.n++; p.n > maxBackupParts {
		return Errorf("more than %d parts", maxBackupParts)
	}
	p.kind, p.name, p.left, p.done, p.h, p.size = k, string(name), 0, false, sha256.New(), 0
	return nil
}

// Read reads the current part's data; it returns io.EOF at its end.
func (p *partReader) Read(b []byte) (int, error) {
	if p.done {
		return 0, io.EOF
	}
	for p.left == 0 {
		var l [4]byte
		if _, err := io.ReadFull(p.r, l[:]); err != nil {
			return 0, p.wrap(err)
		}
		n := binary.BigEndian.Uint32(l[:])
		if n > backupChunk {
			return 0, Errorf("chunk of %d bytes in part %q", n, p.name)
		}
		if n == 0 {
			p.done = true
			p.sums = append(p.sums, partSum{Kind: string(p.kind), Name: p.name, Size: p.size, SHA256: hex.EncodeToString(p.h.Sum(nil))})
			return 0, io.EOF
		}
		p.left = int(n)
	}
	if len(b) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= n
	p.size += int64(n)
	p.h.Write(b[:n])
	if err == io.EOF {
		err = p.wrap(io.ErrUnexpectedEOF)
	} else if err != nil {
		err = p.wrap(err)
	}
	return n, err
}

func (p *partReader) wrap(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return Errorf("truncated (in part %q)", p.name)
	}
	var be *Error
	if errors.As(err, &be) {
		return err
	}
	return Errorf("damaged or truncated: %v", err)
}

// readAllPart reads the current part whole, refusing more than limit bytes.
func (p *partReader) readAllPart(limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, Errorf("part %q larger than %d bytes", p.name, limit)
	}
	return b, nil
}

// expect reads the next part header and requires its kind (and name).
func (p *partReader) expect(kind byte, name string) error {
	if err := p.next(); err != nil {
		if err == io.EOF {
			return Errorf("truncated (no %q part)", name)
		}
		return err
	}
	if p.kind != kind || (name != "" && p.name != name) {
		return Errorf("unexpected part %q (%q) where %q was expected", p.name, string(p.kind), name)
	}
	return nil
}

// A Sink receives the contents of a backup payload as it is read: File
// each key file, Store the store's key/value stream (as the store wrote
// it, unchecked), Blob each evidence file (its path already checked with
// ValidBlobPath).
type Sink struct {
	// Manifest (may be nil) receives the manifest before any other part.
	Manifest func(m *Manifest) error
	File     func(name string, data []byte) error
	Store    func(r io.Reader) error
	Blob     func(rel string, r io.Reader) error
}

var backupBlobElem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$`) })

// ValidBlobPath reports whether rel is a safe relative path below blobs/.
func ValidBlobPath(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) > 4 {
		return false
	}
	for _, e := range parts {
		if !backupBlobElem().MatchString(e) || strings.HasPrefix(e, ".") {
			return false
		}
	}
	return true
}

// ReadPayload reads a decrypted backup payload, passes its parts to sink in
// order, and checks the trailer. It returns the manifest.
func ReadPayload(r io.Reader, sink Sink) (*Manifest, error) {
	p := &partReader{r: bufio.NewReaderSize(r, 64<<10)}
	magic := make([]byte, len(payloadMagic))
	if _, err := io.ReadFull(p.r, magic); err != nil || string(magic) != payloadMagic {
		if err != nil {
			return nil, p.wrap(err)
		}
		return nil, Errorf("payload is not a casevault backup")
	}
	if err := p.expect(partManifest, "manifest"); err != nil {
		return nil, err
	}
	mj, err := p.readAllPart(maxJSONPart)
	if err != nil {
		return nil, err
	}
	if err := bounds.JSON(mj, JSONLimits); err != nil {
		return nil, Errorf("manifest: %v", err)
	}
	m, err := parseManifest(mj)
	if err != nil {
		return nil, err
	}
	if sink.Manifest != nil {
		if err := sink.Manifest(m); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{IdentityFile, MasterFile} {
		if err := p.expect(partFile, name); err != nil {
			return nil, err
		}
		b, err := p.readAllPart(MaxKeyFile)
		if err != nil {
			return nil, err
		}
		if err := sink.File(name, b); err != nil {
			return nil, err
		}
	}
	if err := p.expect(partDB, "store"); err != nil {
		return nil, err
	}
	if err := sink.Store(p); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, p); err != nil { // the end chunk
		return nil, err
	}
	if m.Version >= Version {
		if m.Live, err = readLive(p); err != nil {
			return nil, err
		}
	}
	for {
		if err := p.next(); err != nil {
			if err == io.EOF {
				return nil, Errorf("truncated (no trailer)")
			}
			return nil, err
		}
		if p.kind == partTrailer {
			break
		}
		if p.kind != partBlob || !ValidBlobPath(p.name) {
			return nil, Errorf("unexpected part %q (%q)", p.name, string(p.kind))
		}
		if err := sink.Blob(p.name, p); err != nil {
			return nil, err
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return nil, err
		}
	}
	sums := p.sums
	tj, err := p.readAllPart(maxJSONPart)
	if err != nil {
		return nil, err
	}
	if err := bounds.JSON(tj, JSONLimits); err != nil {
		return nil, Errorf("trailer: %v", err)
	}
	var tr backupTrailer
	if err := json.Unmarshal(tj, &tr); err != nil {
		return nil, Errorf("damaged trailer")
	}
	if len(tr.Parts) != len(sums) {
		return nil, Errorf("trailer lists %d parts, the backup has %d", len(tr.Parts), len(sums))
	}
	for i := range sums {
		if tr.Parts[i] != sums[i] {
			return nil, Errorf("part %q does not match the trailer (size or SHA-256)", sums[i].Name)
		}
	}
	if n, _ := p.r.Read(make([]byte, 1)); n != 0 {
		return nil, Errorf("data after the trailer")
	}
	if m.Version >= Version {
		if len(tr.Sig) == 0 {
			return nil, Errorf("the trailer is not signed")
		}
		m.Signed, m.Sig = SignedMessage(tr.Parts), tr.Sig
	} else if len(tr.Sig) != 0 {
		return nil, Errorf("damaged trailer")
	}
	return m, nil
}

// parseManifest decodes and checks a manifest: version 1 without a chain,
// version 2 with a well-formed one.
func parseManifest(mj []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(mj, &m); err != nil || m.Format != Format {
		return nil, Errorf("damaged manifest")
	}
	switch m.Version {
	case VersionV1:
		if m.Chain != nil {
			return nil, Errorf("damaged manifest (a chain in a version 1 backup)")
		}
	case Version:
		if err := m.Chain.check(); err != nil {
			return nil, err
		}
	default:
		return nil, Errorf("backup format version %d; this casevault reads versions %d and %d", m.Version, VersionV1, Version)
	}
	return &m, nil
}

// ReadManifest reads only the manifest at the start of a decrypted
// payload: enough to place a link in its chain before reading it whole
// (ReadPayload checks it again, with the rest).
func ReadManifest(r io.Reader) (*Manifest, error) {
	p := &partReader{r: bufio.NewReaderSize(r, 64<<10)}
	magic := make([]byte, len(payloadMagic))
	if _, err := io.ReadFull(p.r, magic); err != nil || string(magic) != payloadMagic {
		if err != nil {
			return nil, p.wrap(err)
		}
		return nil, Errorf("payload is not a casevault backup")
	}
	if err := p.expect(partManifest, "manifest"); err != nil {
		return nil, err
	}
	mj, err := p.readAllPart(maxJSONPart)
	if err != nil {
		return nil, err
	}
	if err := bounds.JSON(mj, JSONLimits); err != nil {
		return nil, Errorf("manifest: %v", err)
	}
	return parseManifest(mj)
}
