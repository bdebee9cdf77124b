// Package bundlefmt is the bundle wire format: the manifest and its entry
// types, the age-encrypted tar stream that carries them, the limits applied
// to untrusted bundles and the framing of the manifest signature. It knows
// nothing of the vault: the caller signs and verifies with functions it
// passes in, and decides what goes into a bundle and what to keep of one.
package bundlefmt

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/orgname"
)

// Bundle format (see SECURITY.md, "Sharing and bundles"): one age file,
// encrypted to the receiving organisation's recipient, holding a tar stream
// whose first entry is manifest.json, the second manifest.sig (the sender's
// Ed25519 signature of manifestSigLabel followed by the manifest bytes), and
// then the entries the manifest lists, in its order.
const (
	Format           = "casevault-bundle"
	Version          = 1
	manifestName     = "manifest.json"
	manifestSigName  = "manifest.sig"
	manifestSigLabel = "casevault bundle manifest v1\x00"

	// Entry kinds.
	KindCase     = "case"
	KindEvidence = "evidence"
)

// JSONLimits bound the structure of the manifest (and, in the vault, of
// case entries).
var JSONLimits = bounds.Wire

// Limits bound what the bundle reader accepts from untrusted input.
type Limits struct {
	Entries      int   // entries listed in the manifest
	Manifest     int64 // bytes of manifest.json
	CaseEntry    int64 // bytes of one case entry
	EvidenceSize int64 // bytes of one evidence entry
	Total        int64 // bytes of all entries together
}

// DefaultLimits are the limits bundle import and inspect apply.
var DefaultLimits = Limits{
	Entries:      10_000,
	Manifest:     1 << 20,
	CaseEntry:    4 << 20,
	EvidenceSize: 4 << 30,
	Total:        64 << 30,
}

// A Manifest describes a bundle: who sent it to whom, when, and every entry
// with its SHA-256. The sender signs its exact bytes.
type Manifest struct {
	Format    string          `json:"format"`
	Version   int             `json:"version"`
	BundleID  string          `json:"bundle_id"`
	Created   time.Time       `json:"created"`
	Sender    Party           `json:"sender"`
	Recipient Party           `json:"recipient"`
	AuditHead AuditHead       `json:"audit_head"`
	Entries   []ManifestEntry `json:"entries"`
}

// An AuditHead is the sender's audit head as the manifest carries it: the
// sequence number and hash of the last entry of its audit log.
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// A Party names the sending or receiving organisation of a bundle.
type Party struct {
	Org       string            `json:"org"`
	Recipient string            `json:"recipient"`
	VerifyKey ed25519.PublicKey `json:"verify_key,omitempty"`
}

// A ManifestEntry is one file of a bundle.
type ManifestEntry struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// A CaseEntry is the content of a bundle's cases/<origin-case-id>.json: the
// shared copy of one case and where it came from in the sender's vault.
type CaseEntry struct {
	OriginCaseID string          `json:"origin_case_id"`
	OriginRev    uint32          `json:"origin_rev"`
	OriginTime   time.Time       `json:"origin_time"`
	Fields       []string        `json:"fields,omitempty"` // as the share names them; empty: public and restricted
	Doc          json.RawMessage `json:"doc"`
	Evidence     []EvidenceEntry `json:"evidence,omitempty"`
	// ReturnOf, when set, says that the case is the recipient's own case,
	// shared with the sender before and now sent back: it names the case
	// in the recipient's vault and the revision of it the sender last
	// received. Covered by the manifest signature like the rest of the
	// entry; the recipient checks that it holds that case and shares it
	// with the sender.
	ReturnOf *ReturnClaim `json:"return_of,omitempty"`
}

// A ReturnClaim names the recipient's case that a case entry is a version
// of (see CaseEntry.ReturnOf).
type ReturnClaim struct {
	CaseID string `json:"case_id"`
	Rev    uint32 `json:"rev"`
}

// An EvidenceEntry describes an evidence file of a shared case; its bytes
// are the bundle entry evidence/<id>.bin.
type EvidenceEntry struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

var (
	caseEntryRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^cases/(c[a-z2-7]{16})\.json$`) })
	evidenceEntryRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^evidence/(e[a-z2-7]{16})\.bin$`) })
	sha256RE        = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{64}$`) })
)

// An Error reports a bundle that is refused. Tampered is true when the
// bundle fails a cryptographic check (decryption, signature or entry
// hash), as opposed to being malformed, unwanted or from an unknown sender.
type Error struct {
	Msg      string
	Tampered bool
	Err      error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "bundle refused: " + e.Msg + ": " + e.Err.Error()
	}
	return "bundle refused: " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Malformed returns an Error for a bundle that is malformed or unwanted.
func Malformed(format string, a ...any) error {
	return &Error{Msg: fmt.Sprintf(format, a...)}
}

// Tampered returns an Error for a bundle that fails a cryptographic check.
func Tampered(format string, a ...any) error {
	return &Error{Msg: fmt.Sprintf(format, a...), Tampered: true}
}

// signedMessage is what the manifest signature covers.
func signedMessage(raw []byte) []byte {
	return append([]byte(manifestSigLabel), raw...)
}

// SignManifest signs the manifest bytes raw with sign (the sender's
// Ed25519 key), framed as the format requires.
func SignManifest(raw []byte, sign func(msg []byte) []byte) []byte {
	return sign(signedMessage(raw))
}

// VerifyManifest checks the signature sig of the manifest bytes raw with
// verify (for the sender's Ed25519 key).
func VerifyManifest(raw, sig []byte, verify func(msg, sig []byte) bool) bool {
	return verify(signedMessage(raw), sig)
}

// ParseManifest decodes and checks a manifest's form against the limits.
func ParseManifest(raw []byte, lim Limits) (*Manifest, error) {
	if err := bounds.JSON(raw, JSONLimits); err != nil {
		return nil, Malformed("manifest: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, Malformed("manifest is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, Malformed("data after the manifest")
	}
	if m.Format != Format {
		return nil, Malformed("not a casevault bundle (format %q)", m.Format)
	}
	if m.Version != Version {
		return nil, Malformed("bundle format version %d; this casevault reads version %d", m.Version, Version)
	}
	if _, err := ids.ParseBundleID(m.BundleID); err != nil {
		return nil, Malformed("manifest: %v", err)
	}
	if orgname.Check(m.Sender.Org) != nil || orgname.Check(m.Recipient.Org) != nil {
		return nil, Malformed("manifest: invalid organisation name")
	}
	if len(m.Sender.VerifyKey) != ed25519.PublicKeySize {
		return nil, Malformed("manifest: sender verification key is not an Ed25519 key")
	}
	if !sha256RE().MatchString(m.AuditHead.Hash) {
		return nil, Malformed("manifest: sender audit head is malformed")
	}
	if len(m.Entries) > lim.Entries {
		return nil, Malformed("%d entries, the limit is %d", len(m.Entries), lim.Entries)
	}
	seen := map[string]bool{}
	var total int64
	for _, e := range m.Entries {
		var max int64
		switch {
		case e.Kind == KindCase && caseEntryRE().MatchString(e.Name):
			max = lim.CaseEntry
		case e.Kind == KindEvidence && evidenceEntryRE().MatchString(e.Name):
			max = lim.EvidenceSize
		default:
			return nil, Malformed("manifest entry %q of kind %q is not allowed (names must be cases/<case-id>.json or evidence/<evidence-id>.bin)", e.Name, e.Kind)
		}
		if seen[e.Name] {
			return nil, Malformed("manifest lists %q twice", e.Name)
		}
		seen[e.Name] = true
		if e.Size < 0 || e.Size > max {
			return nil, Malformed("entry %q: size %d is outside the limit of %d bytes", e.Name, e.Size, max)
		}
		total += e.Size
		if total > lim.Total {
			return nil, Malformed("entries total more than %d bytes", lim.Total)
		}
		if !sha256RE().MatchString(e.SHA256) {
			return nil, Malformed("entry %q: malformed sha256", e.Name)
		}
	}
	return &m, nil
}

// A Handler receives what the bundle reader reads. Verify is called with
// the manifest before any entry is read, and may refuse the bundle;
// CaseData receives each case entry, whose hash has been checked;
// Evidence receives each evidence entry as a stream, whose hash is checked
// after Evidence returns (a mismatch fails the whole read).
type Handler struct {
	Verify   func(m *Manifest, raw, sig []byte) error
	CaseData func(e ManifestEntry, data []byte) error
	Evidence func(e ManifestEntry, r io.Reader) error
}

// Read reads the tar stream of a bundle (already decrypted) and
// checks it: the manifest and its signature first, every entry listed in
// the manifest exactly once, in order, of the listed size and SHA-256, no
// other entries, only regular files. It returns the manifest and its raw
// bytes.
func Read(r io.Reader, lim Limits, h Handler) (*Manifest, []byte, error) {
	tr := tar.NewReader(r)
	raw, err := readTarEntry(tr, manifestName, lim.Manifest)
	if err != nil {
		return nil, nil, err
	}
	sig, err := readTarEntry(tr, manifestSigName, ed25519.SignatureSize)
	if err != nil {
		return nil, nil, err
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, nil, Malformed("%s is not an Ed25519 signature", manifestSigName)
	}
	m, err := ParseManifest(raw, lim)
	if err != nil {
		return nil, nil, err
	}
	if h.Verify != nil {
		if err := h.Verify(m, raw, sig); err != nil {
			return m, raw, err
		}
	}
	for i, want := range m.Entries {
		hdr, err := tr.Next()
		if err == io.EOF {
			return m, raw, Tampered("entry %q listed in the manifest is missing", want.Name)
		}
		if err != nil {
			return m, raw, readFailure(err, Tampered("reading entry %d: %v", i+1, err))
		}
		if err := CheckHeader(hdr); err != nil {
			return m, raw, err
		}
		if hdr.Name != want.Name {
			return m, raw, Tampered("entry %q found where the manifest lists %q", hdr.Name, want.Name)
		}
		if hdr.Size != want.Size {
			return m, raw, Tampered("entry %q is %d bytes, the manifest says %d", hdr.Name, hdr.Size, want.Size)
		}
		hash := sha256.New()
		body := io.TeeReader(io.LimitReader(tr, want.Size), hash)
		switch want.Kind {
		case KindCase:
			data, err := io.ReadAll(body)
			if err != nil {
				return m, raw, readFailure(err, Tampered("reading %q: %v", want.Name, err))
			}
			if err := checkHash(want, int64(len(data)), hash.Sum(nil)); err != nil {
				return m, raw, err
			}
			if h.CaseData != nil {
				if err := h.CaseData(want, data); err != nil {
					return m, raw, err
				}
			}
		case KindEvidence:
			cr := &countingReader{r: body}
			if h.Evidence != nil {
				err = h.Evidence(want, cr)
			}
			if err == nil {
				_, err = io.Copy(io.Discard, cr)
			}
			if err != nil {
				var be *Error
				if errors.As(err, &be) {
					return m, raw, err
				}
				return m, raw, fmt.Errorf("entry %q: %w", want.Name, err)
			}
			if err := checkHash(want, cr.n, hash.Sum(nil)); err != nil {
				return m, raw, err
			}
		}
	}
	hdr, err := tr.Next()
	if err == nil {
		return m, raw, Tampered("entry %q is not listed in the manifest", hdr.Name)
	}
	if err != io.EOF {
		return m, raw, readFailure(err, Tampered("reading the end of the bundle: %v", err))
	}
	// Whatever follows the end of the archive must be padding; reading it
	// to the end also makes the age stream check its final chunk.
	n, err := io.Copy(zeroChecker{}, io.LimitReader(r, 1<<20+1))
	if err != nil {
		return m, raw, readFailure(err, Tampered("after the end of the archive: %v", err))
	}
	if n > 1<<20 {
		return m, raw, Malformed("more than 1 MiB after the end of the archive")
	}
	return m, raw, nil
}

func readTarEntry(tr *tar.Reader, name string, limit int64) ([]byte, error) {
	hdr, err := tr.Next()
	if err == io.EOF {
		return nil, Malformed("empty archive: no %s", name)
	}
	if err != nil {
		return nil, readFailure(err, Malformed("not a bundle archive: %v", err))
	}
	if err := CheckHeader(hdr); err != nil {
		return nil, err
	}
	if hdr.Name != name {
		return nil, Malformed("first entries must be %s and %s, found %q", manifestName, manifestSigName, hdr.Name)
	}
	if hdr.Size > limit {
		return nil, Malformed("%s is %d bytes, the limit is %d", name, hdr.Size, limit)
	}
	b, err := io.ReadAll(io.LimitReader(tr, limit))
	if err != nil {
		return nil, readFailure(err, Tampered("reading %s: %v", name, err))
	}
	return b, nil
}

// CheckHeader accepts regular files only, with names that cannot escape a
// directory.
func CheckHeader(hdr *tar.Header) error {
	if hdr.Typeflag != tar.TypeReg {
		return Malformed("entry %q is not a regular file (type %q): links, directories and devices are refused", hdr.Name, string(hdr.Typeflag))
	}
	// A sparse entry (GNU sparse PAX records, which the tar reader turns
	// into a plain file of the size they claim) would expand a few bytes
	// of archive into gigabytes of zeros: refused, so that an entry's size
	// is the bytes it really holds. casevault never writes one.
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return Malformed("entry %q is a sparse file: refused (its %d bytes would be expanded from holes)", hdr.Name, hdr.Size)
		}
	}
	n := hdr.Name
	if n == "" || n[0] == '/' || bytes.Contains([]byte(n), []byte("..")) || bytes.ContainsAny([]byte(n), "\\\x00") {
		return Malformed("entry name %q is not allowed", n)
	}
	return nil
}

func checkHash(e ManifestEntry, n int64, sum []byte) error {
	if n != e.Size {
		return Tampered("entry %q is shorter than the manifest says", e.Name)
	}
	if hex.EncodeToString(sum) != e.SHA256 {
		return Tampered("entry %q does not match its SHA-256 in the signed manifest", e.Name)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeroChecker struct{}

func (zeroChecker) Write(p []byte) (int, error) {
	for _, b := range p {
		if b != 0 {
			return 0, errors.New("data after the end of the archive")
		}
	}
	return len(p), nil
}

// readFailure returns err itself when it is already a *Error (such
// as a decryption failure reported by authReader), else fallback.
func readFailure(err, fallback error) error {
	var be *Error
	if errors.As(err, &be) {
		return be
	}
	return fallback
}

// AuthReader marks read errors of the decrypted age stream r: they mean
// that the encrypted file was altered, truncated or damaged.
func AuthReader(r io.Reader) io.Reader { return authReader{r} }

type authReader struct{ r io.Reader }

func (a authReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err != nil && err != io.EOF {
		err = &Error{Msg: "the encrypted data does not authenticate (file altered, truncated or damaged)", Tampered: true, Err: err}
	}
	return n, err
}
