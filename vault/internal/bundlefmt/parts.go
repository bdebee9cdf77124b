package bundlefmt

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// Bundle parts (see SECURITY.md, "Bundle parts"): a bundle too large for
// one file is written as numbered parts. The bundle's tar stream (the
// plaintext of a one-file bundle) is cut into consecutive pieces; each part
// is its own age file, encrypted to the recipient, holding a tar stream of
// part.json (a PartHeader), part.sig (the sender's signature of it),
// payload (the piece), part.end (the piece's SHA-256) and part.end.sig
// (the sender's signature of the header's and the piece's SHA-256). The
// reassembled stream is then read as any bundle: every entry is checked
// against the signed manifest, whose SHA-256 each part header names.
const (
	PartFormat   = "casevault-bundle-part"
	PartVersion  = 1
	partHeadName = "part.json"
	partSigName  = "part.sig"
	partBodyName = "payload"
	partEndName  = "part.end"
	partESigName = "part.end.sig"
	partSigLabel = "casevault bundle part v1\x00"
	partEndLabel = "casevault bundle part end v1\x00"

	// MaxParts bounds the parts of one bundle.
	MaxParts = 10_000
	// MinPartSize is the smallest --max-size a part can be cut to.
	MinPartSize = 16 << 10
	// partOverhead is room for the age header (a post-quantum recipient
	// stanza is a few KiB) and the part's own tar entries.
	partOverhead = 12 << 10
)

// A PartHeader describes one part of a bundle. The sender signs its exact
// bytes.
type PartHeader struct {
	Format         string `json:"format"`
	Version        int    `json:"version"`
	BundleID       string `json:"bundle_id"`
	Part           int    `json:"part"`  // from 1
	Parts          int    `json:"parts"` // how many in all
	Offset         int64  `json:"offset"`
	Size           int64  `json:"size"`        // bytes of this part's piece
	StreamSize     int64  `json:"stream_size"` // bytes of the whole stream
	ManifestSHA256 string `json:"manifest_sha256"`
	Sender         Party  `json:"sender"`
	Recipient      Party  `json:"recipient"`
}

// PartName is the file name of part n of parts for a bundle written to
// out: NAME.part2of3.age for NAME.age.
func PartName(out string, n, parts int) string {
	ext := ".age"
	base := out
	if len(out) > len(ext) && out[len(out)-len(ext):] == ext {
		base = out[:len(out)-len(ext)]
	}
	return fmt.Sprintf("%s.part%dof%d%s", base, n, parts, ext)
}

// PayloadPerPart is how many bytes of the stream a part of at most
// maxSize bytes carries (0 when maxSize is too small).
func PayloadPerPart(maxSize int64) int64 {
	if maxSize < MinPartSize {
		return 0
	}
	// age adds 16 bytes per 64 KiB chunk.
	return (maxSize - partOverhead) * 65536 / 65552
}

// StreamSize is the length of the tar stream Write produces for a
// manifest, a signature and entries of the given sizes.
func StreamSize(manifest, sig int, sizes []int64) int64 {
	blocks := func(n int64) int64 { return 512 + (n+511)/512*512 }
	total := blocks(int64(manifest)) + blocks(int64(sig)) + 1024
	for _, s := range sizes {
		total += blocks(s)
	}
	return total
}

// ParsePartHeader decodes and checks a part header.
func ParsePartHeader(raw []byte) (*PartHeader, error) {
	if len(raw) > 64<<10 {
		return nil, Malformed("%s is %d bytes", partHeadName, len(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var h PartHeader
	if err := dec.Decode(&h); err != nil {
		return nil, Malformed("part header is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, Malformed("data after the part header")
	}
	switch {
	case h.Format != PartFormat:
		return nil, Malformed("not a casevault bundle part (format %q)", h.Format)
	case h.Version != PartVersion:
		return nil, Malformed("bundle part format version %d; this casevault reads version %d", h.Version, PartVersion)
	case h.Parts < 2 || h.Parts > MaxParts || h.Part < 1 || h.Part > h.Parts:
		return nil, Malformed("part %d of %d is not a possible part number", h.Part, h.Parts)
	case h.Size <= 0 || h.Offset < 0 || h.StreamSize <= 0 || h.Offset > h.StreamSize || h.Size > h.StreamSize-h.Offset:
		return nil, Malformed("part %d of %d: offset %d and size %d do not fit a stream of %d bytes", h.Part, h.Parts, h.Offset, h.Size, h.StreamSize)
	case h.StreamSize > DefaultLimits.Total+DefaultLimits.Manifest+int64(DefaultLimits.Entries)*1024+1<<20:
		return nil, Malformed("the bundle would be %d bytes, more than any bundle may be", h.StreamSize)
	case !sha256RE().MatchString(h.ManifestSHA256):
		return nil, Malformed("part header: malformed manifest hash")
	case len(h.Sender.VerifyKey) != ed25519.PublicKeySize:
		return nil, Malformed("part header: sender verification key is not an Ed25519 key")
	case orgname.Check(h.Sender.Org) != nil || orgname.Check(h.Recipient.Org) != nil:
		return nil, Malformed("part header: invalid organisation name")
	}
	if _, err := ids.ParseBundleID(h.BundleID); err != nil {
		return nil, Malformed("part header: %v", err)
	}
	return &h, nil
}

func partEndMessage(head []byte, payloadSum string) []byte {
	hs := sha256.Sum256(head)
	return append(append([]byte(partEndLabel), hs[:]...), payloadSum...)
}

// A PartWriter cuts a bundle's tar stream into part files: Write takes the
// stream; each piece goes to the file create returns for it.
type PartWriter struct {
	hdr     PartHeader
	per     int64
	rcpt    age.Recipient
	sign    func([]byte) []byte
	create  func(n int) (io.Writer, error)
	cur     *partOut
	written int64
}

type partOut struct {
	aw   io.WriteCloser
	tw   *tar.Writer
	head []byte
	left int64
	sum  hashWriter
}

type hashWriter struct{ h hash.Hash }

// NewPartWriter returns a writer that cuts a stream of streamSize bytes
// into pieces of per bytes (the last one shorter). hdr carries the
// bundle-wide fields (bundle ID, parties, manifest hash).
func NewPartWriter(hdr PartHeader, streamSize, per int64, rcpt age.Recipient, sign func([]byte) []byte, create func(n int) (io.Writer, error)) (*PartWriter, int, error) {
	if per <= 0 {
		return nil, 0, fmt.Errorf("the part size is too small: at least %d bytes", MinPartSize)
	}
	n := (streamSize + per - 1) / per
	if n > MaxParts {
		return nil, 0, fmt.Errorf("the bundle would need %d parts, at most %d are allowed: choose a larger --max-size", n, MaxParts)
	}
	hdr.Format, hdr.Version, hdr.Parts, hdr.StreamSize = PartFormat, PartVersion, int(n), streamSize
	return &PartWriter{hdr: hdr, per: per, rcpt: rcpt, sign: sign, create: create}, int(n), nil
}

func (pw *PartWriter) open() error {
	n := int(pw.written/pw.per) + 1
	h := pw.hdr
	h.Part, h.Offset = n, pw.written
	h.Size = min(pw.per, h.StreamSize-pw.written)
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	w, err := pw.create(n)
	if err != nil {
		return err
	}
	aw, err := age.Encrypt(w, pw.rcpt)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(aw)
	for _, e := range []struct {
		name string
		data []byte
	}{{partHeadName, head}, {partSigName, pw.sign(append([]byte(partSigLabel), head...))}} {
		if err := putTar(tw, e.name, e.data); err != nil {
			return err
		}
	}
	if err := tw.WriteHeader(tarHeader(partBodyName, h.Size)); err != nil {
		return err
	}
	pw.cur = &partOut{aw: aw, tw: tw, head: head, left: h.Size, sum: hashWriter{sha256.New()}}
	return nil
}

func (pw *PartWriter) Write(p []byte) (int, error) {
	done := 0
	for len(p) > 0 {
		if pw.cur == nil {
			if pw.written >= pw.hdr.StreamSize {
				return done, fmt.Errorf("internal error: the bundle stream is longer than the %d bytes it was sized at", pw.hdr.StreamSize)
			}
			if err := pw.open(); err != nil {
				return done, err
			}
		}
		k := min(int64(len(p)), pw.cur.left)
		if _, err := pw.cur.tw.Write(p[:k]); err != nil {
			return done, err
		}
		pw.cur.sum.h.Write(p[:k])
		pw.cur.left -= k
		pw.written += k
		done += int(k)
		p = p[k:]
		if pw.cur.left == 0 {
			if err := pw.finish(); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

func (pw *PartWriter) finish() error {
	c := pw.cur
	pw.cur = nil
	sum := hex.EncodeToString(c.sum.h.Sum(nil))
	if err := putTar(c.tw, partEndName, []byte(sum)); err != nil {
		return err
	}
	if err := putTar(c.tw, partESigName, pw.sign(partEndMessage(c.head, sum))); err != nil {
		return err
	}
	if err := c.tw.Close(); err != nil {
		return err
	}
	return c.aw.Close()
}

// Close checks that the whole stream was written.
func (pw *PartWriter) Close() error {
	if pw.cur != nil || pw.written != pw.hdr.StreamSize {
		return fmt.Errorf("internal error: the bundle stream is %d bytes, it was sized at %d", pw.written, pw.hdr.StreamSize)
	}
	return nil
}

func tarHeader(name string, size int64) *tar.Header {
	return &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o600, Size: size, Format: tar.FormatUSTAR, ModTime: time.Unix(0, 0)}
}

func putTar(tw *tar.Writer, name string, data []byte) error {
	if err := tw.WriteHeader(tarHeader(name, int64(len(data)))); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// IsPart reports whether a decrypted stream starts as a bundle part
// (rather than a one-file bundle). It reads the first tar header only.
func IsPart(first *tar.Header) bool { return first != nil && first.Name == partHeadName }

// A PartReader reads one decrypted part: the header and its signature
// first (ReadHeader), then the piece (Payload), whose SHA-256 and end
// signature are checked when it is read to the end.
type PartReader struct {
	tr     *tar.Reader
	r      io.Reader
	Header *PartHeader
	head   []byte
	sig    []byte
}

// NewPartReader reads the header of a decrypted part stream r.
func NewPartReader(r io.Reader) (*PartReader, error) {
	tr := tar.NewReader(r)
	head, err := readTarEntry(tr, partHeadName, 64<<10)
	if err != nil {
		return nil, err
	}
	sig, err := readTarEntry(tr, partSigName, ed25519.SignatureSize)
	if err != nil {
		return nil, err
	}
	h, err := ParsePartHeader(head)
	if err != nil {
		return nil, err
	}
	return &PartReader{tr: tr, r: r, Header: h, head: head, sig: sig}, nil
}

// Verify checks the header signature with verify (for the sender's key).
func (p *PartReader) Verify(verify func(msg, sig []byte) bool) bool {
	return len(p.sig) == ed25519.SignatureSize && verify(append([]byte(partSigLabel), p.head...), p.sig)
}

// Payload returns the part's piece of the stream. At its end the piece's
// SHA-256 is compared with part.end and the end signature checked with
// verify; a mismatch is returned as a tampered-bundle error instead of
// io.EOF.
func (p *PartReader) Payload(verify func(msg, sig []byte) bool) (io.Reader, error) {
	hdr, err := p.tr.Next()
	if err != nil {
		return nil, readFailure(err, Tampered("part %d: reading the payload: %v", p.Header.Part, err))
	}
	if err := CheckHeader(hdr); err != nil {
		return nil, err
	}
	if hdr.Name != partBodyName || hdr.Size != p.Header.Size {
		return nil, Tampered("part %d: payload entry %q of %d bytes, the header says %d", p.Header.Part, hdr.Name, hdr.Size, p.Header.Size)
	}
	h := sha256.New()
	return &payloadReader{p: p, r: io.TeeReader(io.LimitReader(p.tr, hdr.Size), h), h: h, verify: verify, left: hdr.Size}, nil
}

type payloadReader struct {
	p      *PartReader
	r      io.Reader
	h      interface{ Sum([]byte) []byte }
	verify func(msg, sig []byte) bool
	left   int64
	done   bool
}

func (pr *payloadReader) Read(b []byte) (int, error) {
	if pr.done {
		return 0, io.EOF
	}
	n, err := pr.r.Read(b)
	pr.left -= int64(n)
	if err == io.EOF || (err == nil && pr.left == 0) {
		if pr.left != 0 {
			return n, Tampered("part %d is shorter than its header says", pr.p.Header.Part)
		}
		if verr := pr.finish(); verr != nil {
			return n, verr
		}
		pr.done = true
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	}
	if err != nil {
		return n, readFailure(err, Tampered("part %d: %v", pr.p.Header.Part, err))
	}
	return n, nil
}

func (pr *payloadReader) finish() error {
	part := pr.p.Header.Part
	end, err := readTarEntry(pr.p.tr, partEndName, 64)
	if err != nil {
		return Tampered("part %d: %v", part, err)
	}
	esig, err := readTarEntry(pr.p.tr, partESigName, ed25519.SignatureSize)
	if err != nil {
		return Tampered("part %d: %v", part, err)
	}
	sum := hex.EncodeToString(pr.h.Sum(nil))
	if string(end) != sum {
		return Tampered("part %d does not match the SHA-256 its sender signed", part)
	}
	if len(esig) != ed25519.SignatureSize || !pr.verify(partEndMessage(pr.p.head, sum), esig) {
		return Tampered("part %d: the end signature does not verify", part)
	}
	if _, err := pr.p.tr.Next(); err != io.EOF {
		return Tampered("part %d: entries after the end of the part", part)
	}
	n, err := io.Copy(zeroChecker{}, io.LimitReader(pr.p.r, 1<<20+1))
	if err != nil {
		return readFailure(err, Tampered("part %d: after the end of the archive: %v", part, err))
	}
	if n > 1<<20 {
		return Malformed("part %d: more than 1 MiB after the end of the archive", part)
	}
	return nil
}
