package vault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/casevault/casevault/schema/bounds"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
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
	// BackupVersion is the backup format version this casevault writes.
	BackupVersion = 1

	partManifest = 'H'
	partFile     = 'F'
	partDB       = 'D'
	partBlob     = 'B'
	partTrailer  = 'T'

	backupChunk    = 1 << 20   // largest chunk written and accepted
	maxPartName    = 255       // bytes
	maxJSONPart    = 1 << 20   // manifest and trailer
	maxKVListFrame = 128 << 20 // one Badger KVList in the store stream
	maxBackupParts = 10 << 20  // parts in one backup
)

// A BackupManifest describes the vault a backup was made of.
type BackupManifest struct {
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

	blobs []string // evidence files, relative to blobs/

	// Witnesses are the partners that hold audit heads of the restored
	// vault (see [Vault.WitnessOrgs]); set by Restore, not stored.
	Witnesses []string `json:"-"`
}

type backupTrailer struct {
	Parts []partSum `json:"parts"`
}

type partSum struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BackupSizeHint estimates the size of a backup of the vault in bytes, for
// progress display.
func (v *Vault) BackupSizeHint() int64 {
	lsm, vlog := v.db.Size()
	n := lsm + vlog
	_ = filepath.WalkDir(filepath.Join(v.dir, blobDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// BackupToFile writes a backup to path through a temporary file in the same
// directory, renamed over path once complete and synced. A failure leaves
// nothing at path. progress (may be nil) is called with the bytes written
// so far.
func (v *Vault) BackupToFile(ctx context.Context, path string, progress func(int64)) (*BackupManifest, error) {
	var m *BackupManifest
	err := writeStreamAtomic(path, func(w io.Writer) error {
		var err error
		m, err = v.Backup(ctx, w, progress)
		if err == nil {
			err = ctx.Err() // cancelled after the last byte: not kept either
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Backup writes the whole vault to w as one backup file: identity.age as is,
// then an age file to the organisation's recipient holding the manifest,
// master.age as is, the store (Badger's backup stream of our sealed
// records), every evidence file and a trailer of SHA-256s. progress (may be
// nil) is called with the bytes written so far.
func (v *Vault) Backup(ctx context.Context, w io.Writer, progress func(int64)) (*BackupManifest, error) {
	m, err := v.backupManifest()
	if err != nil {
		return nil, err
	}
	idFile, err := readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile)
	if err != nil {
		return nil, err
	}
	masterAge, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	if err != nil {
		return nil, err
	}
	cw := &countWriter{w: ctxWriter{ctx, w}, progress: progress}
	if _, err := fmt.Fprintf(cw, "%sidentity %d\n", backupMagic, len(idFile)); err != nil {
		return nil, err
	}
	if _, err := cw.Write(idFile); err != nil {
		return nil, err
	}
	aw, err := age.Encrypt(cw, v.id.Recipient())
	if err != nil {
		return nil, err
	}
	pw := &partWriter{w: aw}
	if _, err := io.WriteString(aw, payloadMagic); err != nil {
		return nil, err
	}
	mj, _ := json.Marshal(m)
	if err := pw.part(partManifest, "manifest", bytes.NewReader(mj)); err != nil {
		return nil, err
	}
	if err := pw.part(partFile, identityFile, bytes.NewReader(idFile)); err != nil {
		return nil, err
	}
	if err := pw.part(partFile, masterFile, bytes.NewReader(masterAge)); err != nil {
		return nil, err
	}
	if err := pw.begin(partDB, "store"); err != nil {
		return nil, err
	}
	if _, err := v.db.Backup(pw, 0); err != nil {
		return nil, fmt.Errorf("backing up the store: %w", err)
	}
	if err := pw.end(); err != nil {
		return nil, err
	}
	for _, rel := range m.blobs {
		f, err := os.Open(filepath.Join(v.dir, blobDir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		err = pw.part(partBlob, rel, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("backing up evidence file %s: %w", rel, err)
		}
	}
	tj, _ := json.Marshal(backupTrailer{Parts: pw.sums})
	if err := pw.part(partTrailer, "trailer", bytes.NewReader(tj)); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

func (v *Vault) backupManifest() (*BackupManifest, error) {
	m := &BackupManifest{Format: "casevault-backup", Version: BackupVersion, Org: v.meta.Org, Recipient: v.meta.Recipient,
		Created: v.now(), VaultCreated: v.meta.Created}
	err := v.view(func(txn *badger.Txn) error {
		var err error
		if m.AuditHead, err = v.auditHead(txn); err != nil {
			return err
		}
		m.Cases, m.Revisions, m.Evidence = countPrefix(txn, pCaseKey), countPrefix(txn, pRevision), countPrefix(txn, pEvidence)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.blobs, err = v.blobFiles()
	m.EvidenceFile = len(m.blobs)
	return m, err
}

func countPrefix(txn *badger.Txn, p byte) int {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{p}})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		n++
	}
	return n
}

// blobFiles lists the evidence files below blobs/ as slash-separated paths
// relative to it, in lexical order, leaving out temporary files.
func (v *Vault) blobFiles() ([]string, error) {
	root := filepath.Join(v.dir, blobDir)
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out, err
}

// countWriter counts the bytes written through it and reports the count
// to progress (may be nil).
type countWriter struct {
	w        io.Writer
	n        int64
	progress func(int64)
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.progress != nil {
		c.progress(c.n)
	}
	return n, err
}

// partWriter writes framed parts, keeping the size and SHA-256 of each.
type partWriter struct {
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

func (pw *partWriter) begin(kind byte, name string) error {
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
func (pw *partWriter) Write(p []byte) (int, error) {
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

func (pw *partWriter) flushChunk() error {
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

func (pw *partWriter) end() error {
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

func (pw *partWriter) part(kind byte, name string, r io.Reader) error {
	if err := pw.begin(kind, name); err != nil {
		return err
	}
	if _, err := io.Copy(pw, r); err != nil {
		return err
	}
	return pw.end()
}

// BackupError reports a backup file that cannot be read: truncated,
// damaged, not a backup, or made for another organisation.
type BackupError struct{ Msg string }

func (e *BackupError) Error() string { return "backup: " + e.Msg }

func backupErrorf(format string, a ...any) error { return &BackupError{Msg: fmt.Sprintf(format, a...)} }

// readBackupHeader reads the clear part of a backup file and returns the
// passphrase-protected identity.age it carries.
func readBackupHeader(r *bufio.Reader) ([]byte, error) {
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != backupMagic {
		if err == nil && strings.HasPrefix(string(magic), "casevault backup v") {
			return nil, backupErrorf("unsupported backup format %q; this casevault reads version %d", strings.TrimSpace(string(magic)), BackupVersion)
		}
		return nil, backupErrorf("not a casevault backup file")
	}
	line, err := readLine(r, 32)
	if err != nil || !strings.HasPrefix(line, "identity ") {
		return nil, backupErrorf("damaged header")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(line, "identity "))
	if err != nil || n <= 0 || n > maxKeyFile {
		return nil, backupErrorf("damaged header (identity length)")
	}
	id := make([]byte, n)
	if _, err := io.ReadFull(r, id); err != nil {
		return nil, backupErrorf("truncated in the identity")
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
		return backupErrorf("part %q not read to its end", p.name)
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
		return backupErrorf("part name of %d bytes", nl)
	}
	name := make([]byte, nl)
	if _, err := io.ReadFull(p.r, name); err != nil {
		return p.wrap(err)
	}
	if p.n++; p.n > maxBackupParts {
		return backupErrorf("more than %d parts", maxBackupParts)
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
			return 0, backupErrorf("chunk of %d bytes in part %q", n, p.name)
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
		return backupErrorf("truncated (in part %q)", p.name)
	}
	var be *BackupError
	if errors.As(err, &be) {
		return err
	}
	return backupErrorf("damaged or truncated: %v", err)
}

// readAllPart reads the current part whole, refusing more than limit bytes.
func (p *partReader) readAllPart(limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, backupErrorf("part %q larger than %d bytes", p.name, limit)
	}
	return b, nil
}

// expect reads the next part header and requires its kind (and name).
func (p *partReader) expect(kind byte, name string) error {
	if err := p.next(); err != nil {
		if err == io.EOF {
			return backupErrorf("truncated (no %q part)", name)
		}
		return err
	}
	if p.kind != kind || (name != "" && p.name != name) {
		return backupErrorf("unexpected part %q (%q) where %q was expected", p.name, string(p.kind), name)
	}
	return nil
}

// A payloadSink receives the contents of a backup payload as it is read.
type payloadSink interface {
	file(name string, data []byte) error
	store(r io.Reader) error
	blob(rel string, r io.Reader) error
}

var backupBlobElem = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$`)

// validBackupBlobPath reports whether rel is a safe relative path below blobs/.
func validBackupBlobPath(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) > 4 {
		return false
	}
	for _, e := range parts {
		if !backupBlobElem.MatchString(e) || strings.HasPrefix(e, ".") {
			return false
		}
	}
	return true
}

// readPayload reads a decrypted backup payload, passes its parts to sink in
// order, and checks the trailer. It returns the manifest.
func readPayload(r io.Reader, sink payloadSink) (*BackupManifest, error) {
	p := &partReader{r: bufio.NewReaderSize(r, 64<<10)}
	magic := make([]byte, len(payloadMagic))
	if _, err := io.ReadFull(p.r, magic); err != nil || string(magic) != payloadMagic {
		if err != nil {
			return nil, p.wrap(err)
		}
		return nil, backupErrorf("payload is not a casevault backup")
	}
	if err := p.expect(partManifest, "manifest"); err != nil {
		return nil, err
	}
	mj, err := p.readAllPart(maxJSONPart)
	if err != nil {
		return nil, err
	}
	if err := bounds.JSON(mj, jsonLimits); err != nil {
		return nil, backupErrorf("manifest: %v", err)
	}
	var m BackupManifest
	if err := json.Unmarshal(mj, &m); err != nil || m.Format != "casevault-backup" {
		return nil, backupErrorf("damaged manifest")
	}
	if m.Version != BackupVersion {
		return nil, backupErrorf("backup format version %d; this casevault reads version %d", m.Version, BackupVersion)
	}
	for _, name := range []string{identityFile, masterFile} {
		if err := p.expect(partFile, name); err != nil {
			return nil, err
		}
		b, err := p.readAllPart(maxKeyFile)
		if err != nil {
			return nil, err
		}
		if err := sink.file(name, b); err != nil {
			return nil, err
		}
	}
	if err := p.expect(partDB, "store"); err != nil {
		return nil, err
	}
	if err := sink.store(&kvStreamReader{r: p}); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, p); err != nil { // the end chunk
		return nil, err
	}
	for {
		if err := p.next(); err != nil {
			if err == io.EOF {
				return nil, backupErrorf("truncated (no trailer)")
			}
			return nil, err
		}
		if p.kind == partTrailer {
			break
		}
		if p.kind != partBlob || !validBackupBlobPath(p.name) {
			return nil, backupErrorf("unexpected part %q (%q)", p.name, string(p.kind))
		}
		if err := sink.blob(p.name, p); err != nil {
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
	if err := bounds.JSON(tj, jsonLimits); err != nil {
		return nil, backupErrorf("trailer: %v", err)
	}
	var tr backupTrailer
	if err := json.Unmarshal(tj, &tr); err != nil {
		return nil, backupErrorf("damaged trailer")
	}
	if len(tr.Parts) != len(sums) {
		return nil, backupErrorf("trailer lists %d parts, the backup has %d", len(tr.Parts), len(sums))
	}
	for i := range sums {
		if tr.Parts[i] != sums[i] {
			return nil, backupErrorf("part %q does not match the trailer (size or SHA-256)", sums[i].Name)
		}
	}
	if n, _ := p.r.Read(make([]byte, 1)); n != 0 {
		return nil, backupErrorf("data after the trailer")
	}
	return &m, nil
}

// kvStreamReader passes Badger's backup stream through, frame by frame,
// after checking each frame: a bounded size, and key-value lists whose keys
// are casevault store keys. Badger's own loader trusts the lengths it
// reads; this reader is what makes a crafted backup harmless to it.
type kvStreamReader struct {
	r   io.Reader
	buf []byte // the current frame, checked, not yet passed on
	err error
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
		return backupErrorf("truncated store stream")
	}
	sz := binary.LittleEndian.Uint64(l[:])
	if sz > maxKVListFrame {
		return backupErrorf("store stream frame of %d bytes", sz)
	}
	// Grown as data arrives, not allocated from the claimed size.
	frame := bytes.NewBuffer(make([]byte, 0, min(8+sz, 1<<20)))
	frame.Write(l[:])
	if n, err := io.Copy(frame, io.LimitReader(k.r, int64(sz))); err != nil || uint64(n) != sz {
		return backupErrorf("truncated store stream")
	}
	var list pb.KVList
	if err := proto.Unmarshal(frame.Bytes()[8:], &list); err != nil {
		return backupErrorf("damaged store stream: %v", err)
	}
	for _, kv := range list.Kv {
		if len(kv.Key) == 0 || len(kv.Key) > 64 || !knownPrefix(kv.Key[0]) {
			return backupErrorf("store stream holds a key that is not a casevault record")
		}
		if kv.Version == 0 || kv.Version > 1<<48 || kv.ExpiresAt != 0 || len(kv.Meta) > 1 || len(kv.UserMeta) > 1 {
			return backupErrorf("store stream holds a malformed entry")
		}
	}
	k.buf = frame.Bytes()
	return nil
}

func knownPrefix(p byte) bool {
	return bytes.IndexByte([]byte{pMeta, pAuditHead, pAudit, pCaseKey, pRevision, pEvidence, pEvidIndex, pSummary, pPosting, pOrg, pShare, pBundle, pWitness, pOrigin, pCaseMeta}, p) >= 0
}

// Restore rebuilds a vault in dir, which must not exist or be empty, from a
// backup read from r, unlocking it with u (an identity, an identity file, or
// the passphrase of the identity.age inside the backup). It then opens the
// restored vault and checks it against the backup's manifest: every case and
// revision opens, the evidence records and files are all there, and the
// audit chain verifies and ends at the manifest's head. On any failure
// nothing is left in dir.
func Restore(ctx context.Context, r io.Reader, dir string, u Unlock, o Options) (*BackupManifest, error) {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrVaultExists)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	br := bufio.NewReaderSize(ctxReader{ctx, r}, 64<<10)
	sealedID, err := readBackupHeader(br)
	if err != nil {
		return nil, err
	}
	id, err := restoreIdentity(sealedID, u)
	if err != nil {
		return nil, err
	}
	ar, err := age.Decrypt(br, id.AgeIdentity())
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("backup: %w (it was made for another organisation)", ErrWrongIdentity)
		}
		return nil, backupErrorf("damaged or truncated header: %v", err)
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	rs := &restoreSink{dir: dir, id: id, sealedID: sealedID}
	m, err := readPayload(ar, rs)
	if err == nil {
		err = rs.finish(m)
	}
	if err == nil {
		err = verifyRestored(ctx, dir, id, m, o)
	}
	if err != nil {
		if rs.db != nil {
			rs.db.Close()
		}
		cleanDir(dir, created)
		return nil, err
	}
	return m, nil
}

func restoreIdentity(sealedID []byte, u Unlock) (*crypto.Identity, error) {
	id, _, err := unlockIdentity(u, "backup",
		func() ([]byte, error) { return sealedID, nil },
		func(err error) error { return backupErrorf("damaged identity: %v", err) })
	return id, err
}

// cleanDir removes what a failed restore wrote: dir itself if it was
// created, else its contents.
func cleanDir(dir string, created bool) {
	if created {
		_ = shredDir(dir)
		return
	}
	shredContents(dir)
}

// restoreSink writes a backup's contents into a new vault directory.
type restoreSink struct {
	dir      string
	id       *crypto.Identity
	sealedID []byte // identity.age from the backup's clear header
	db       *badger.DB
	master   bool
	blobs    int
}

func (s *restoreSink) file(name string, data []byte) error {
	if name == identityFile && !bytes.Equal(data, s.sealedID) {
		return backupErrorf("the identity in the header and the one inside differ")
	}
	if name == masterFile {
		v := &Vault{dir: s.dir}
		if err := writeFileAtomic(filepath.Join(s.dir, name), data); err != nil {
			return err
		}
		if err := v.unlock(Unlock{Identity: s.id}); err != nil {
			if errors.Is(err, ErrWrongIdentity) {
				return fmt.Errorf("backup: %w (master.age is not for this identity)", err)
			}
			return backupErrorf("damaged %s: %v", masterFile, err)
		}
		// The restore is the user's choice and the restored store is
		// checked against the signed manifest before the vault is kept
		// (verifyRestored): it is bound here, not by trust on first use.
		if err := writeBinding(s.dir, s.id, v.mk, v.dbName, 1, true); err != nil {
			crypto.Wipe(v.mk[:])
			return err
		}
		db, err := badger.Open(badgerOptions(filepath.Join(s.dir, v.dbName), v.keys.badger))
		crypto.Wipe(v.mk[:])
		if err != nil {
			return err
		}
		s.db, s.master = db, true
		return nil
	}
	return writeFileAtomic(filepath.Join(s.dir, name), data)
}

func (s *restoreSink) store(r io.Reader) error {
	if s.db == nil {
		return backupErrorf("store before %s", masterFile)
	}
	if err := s.db.Load(r, 16); err != nil {
		var be *BackupError
		if errors.As(err, &be) {
			return err
		}
		return fmt.Errorf("loading the store: %w", err)
	}
	return nil
}

func (s *restoreSink) blob(rel string, r io.Reader) error {
	p := filepath.Join(s.dir, blobDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return backupErrorf("evidence file %s twice", rel)
		}
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	s.blobs++
	return err
}

// finish closes the store and writes the format file, which makes the
// directory a vault.
func (s *restoreSink) finish(m *BackupManifest) error {
	if s.db == nil {
		return backupErrorf("no store")
	}
	if err := s.db.Close(); err != nil {
		s.db = nil
		return err
	}
	s.db = nil
	if s.blobs != m.EvidenceFile {
		return backupErrorf("%d evidence files, the manifest says %d", s.blobs, m.EvidenceFile)
	}
	if s.blobs > 0 {
		if err := syncDir(filepath.Join(s.dir, blobDir)); err != nil {
			return err
		}
	}
	marker, _ := json.Marshal(formatMarker{Format: "casevault-vault", Version: FormatVersion})
	return writeFileAtomic(filepath.Join(s.dir, formatFile), append(marker, '\n'))
}

// verifyRestored opens a restored vault and checks it against the manifest.
func verifyRestored(ctx context.Context, dir string, id *crypto.Identity, m *BackupManifest, o Options) error {
	v, err := Open(dir, Unlock{Identity: id}, o)
	if err != nil {
		return fmt.Errorf("restored vault does not open: %w", err)
	}
	defer v.Close()
	if v.meta.Org != m.Org || v.meta.Recipient != m.Recipient {
		return backupErrorf("restored vault is of organisation %q, the manifest says %q", v.meta.Org, m.Org)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		return err
	}
	revs := 0
	for _, c := range ids {
		h, err := v.History(c)
		if err != nil {
			return fmt.Errorf("restored vault: %w", err)
		}
		revs += len(h)
	}
	var evid int
	_ = v.view(func(txn *badger.Txn) error { evid = countPrefix(txn, pEvidence); return nil })
	if len(ids) != m.Cases || revs != m.Revisions || evid != m.Evidence {
		return backupErrorf("restored %d cases, %d revisions, %d evidence records; the manifest says %d, %d, %d",
			len(ids), revs, evid, m.Cases, m.Revisions, m.Evidence)
	}
	n, err := v.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("restored vault: %w", err)
	}
	rep, err := v.Check(ctx, CheckOptions{})
	if err != nil {
		return fmt.Errorf("restored vault: check: %w", err)
	}
	// Orphans (evidence files an interrupted add left behind in the
	// original vault) are harmless and 'check --repair' removes them.
	for _, p := range rep.Problems {
		if p.Kind != ProblemOrphan {
			return backupErrorf("restored vault fails check: %s", p)
		}
	}
	head, err := v.AuditHead()
	if err != nil {
		return err
	}
	if uint64(n) != m.AuditHead.Seq || head != m.AuditHead {
		return backupErrorf("restored audit log ends at entry %d, the manifest says %d", head.Seq, m.AuditHead.Seq)
	}
	m.Witnesses, err = v.WitnessOrgs()
	return err
}
