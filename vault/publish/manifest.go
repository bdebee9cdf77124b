package publish

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/casevault/casevault/vault/i18n"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A Manifest lists every file of a publication with its SHA-256. It is
// written as MANIFEST.json and signed by the organisation in MANIFEST.sig.
type Manifest struct {
	Format    string         `json:"format"`  // "casevault-publication"
	Version   int            `json:"version"` // 1
	Org       string         `json:"org"`
	VerifyKey string         `json:"verify_key"` // Ed25519 public key, base64
	Output    string         `json:"output"`     // html, json, csv or md
	Cases     int            `json:"cases"`
	Files     []ManifestFile `json:"files"` // sorted by path
}

// A ManifestFile is one file of a publication.
type ManifestFile struct {
	Path   string `json:"path"` // slash-separated, relative to the directory
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const (
	manifestFormat  = "casevault-publication"
	signatureDomain = "casevault publication manifest v1\n"
	// maxManifest bounds what Verify reads of MANIFEST.json.
	maxManifest = 16 << 20
)

// NewManifest describes files (path → content) for org and its verify key.
func NewManifest(org string, key ed25519.PublicKey, output string, cases int, files map[string][]byte) *Manifest {
	m := &Manifest{Format: manifestFormat, Version: 1, Org: org, VerifyKey: base64.StdEncoding.EncodeToString(key),
		Output: output, Cases: cases, Files: []ManifestFile{}}
	for p, b := range files {
		h := sha256.Sum256(b)
		m.Files = append(m.Files, ManifestFile{Path: p, Size: int64(len(b)), SHA256: hex.EncodeToString(h[:])})
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	return m
}

// Encode returns the manifest as it is written to MANIFEST.json.
func (m *Manifest) Encode() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		panic(err) // a Manifest always encodes
	}
	return buf.Bytes()
}

// SignedMessage is what the signature in MANIFEST.sig covers: a domain
// label followed by the bytes of MANIFEST.json.
func SignedMessage(manifestJSON []byte) []byte {
	return append([]byte(signatureDomain), manifestJSON...)
}

// EncodeSignature returns the content of MANIFEST.sig for an Ed25519
// signature: the signature in base64 and a newline.
func EncodeSignature(sig []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(sig) + "\n")
}

// A VerifyError lists what is wrong with a publication directory.
type VerifyError struct {
	Dir      string
	Problems []string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("publication %s does not verify:\n  %s", e.Dir, strings.Join(e.Problems, "\n  "))
}

// Localize says e in lang: the frame and each problem on its line.
func (e *VerifyError) Localize(lang string) string {
	probs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		probs[i] = i18n.TranslateText(lang, p)
	}
	return i18n.T(lang, "src.publish.publicationDoesNotVerify", map[string]any{"A": e.Dir, "B": strings.Join(probs, "\n  ")})
}

// Verified describes a publication that verified.
type Verified struct {
	Org    string `json:"org"`
	Output string `json:"output"`
	Cases  int    `json:"cases"`
	Files  int    `json:"files"`
	SHA256 string `json:"manifest_sha256"`
}

// Verify checks the publication in dir against the organisation org and its
// Ed25519 verify key (from the organisation's card): the signature of the
// manifest, the organisation it names, every file's size and SHA-256, and
// that no file is missing or added. It needs no vault. Every problem found
// is listed in a [*VerifyError].
func Verify(dir, org string, key ed25519.PublicKey) (*Verified, error) {
	fail := func(p ...string) error { return &VerifyError{Dir: dir, Problems: p} }
	mb, err := readLimited(filepath.Join(dir, ManifestName), maxManifest)
	if err != nil {
		return nil, fail(err.Error())
	}
	sb, err := readLimited(filepath.Join(dir, SignatureName), 1024)
	if err != nil {
		return nil, fail(err.Error())
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sb)))
	if err != nil || len(sig) != ed25519.SignatureSize || len(key) != ed25519.PublicKeySize ||
		!ed25519.Verify(key, SignedMessage(mb), sig) {
		return nil, fail(SignatureName + ": the signature does not verify with the card's key (altered manifest, or not published by " + quote(org) + ")")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(mb))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fail(ManifestName + ": " + err.Error())
	}
	var probs []string
	if m.Format != manifestFormat || m.Version != 1 {
		probs = append(probs, fmt.Sprintf("%s: format %q version %d, want %q version 1", ManifestName, m.Format, m.Version, manifestFormat))
	}
	if m.Org != org {
		probs = append(probs, fmt.Sprintf("%s: names organisation %s, the card is for %s", ManifestName, quote(m.Org), quote(org)))
	}
	if m.VerifyKey != base64.StdEncoding.EncodeToString(key) {
		probs = append(probs, ManifestName+": names a verify key other than the card's")
	}
	listed := map[string]ManifestFile{}
	for _, f := range m.Files {
		if !validPath(f.Path) || f.Path == ManifestName || f.Path == SignatureName {
			probs = append(probs, fmt.Sprintf("%s: invalid file path %q", ManifestName, f.Path))
			continue
		}
		listed[f.Path] = f
	}
	found := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			probs = append(probs, err.Error())
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
			return nil
		case d.IsDir():
			return nil
		case rel == ManifestName || rel == SignatureName:
			return nil
		case !d.Type().IsRegular():
			probs = append(probs, fmt.Sprintf("%s: not a regular file (symbolic link or device)", rel))
			return nil
		}
		f, ok := listed[rel]
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: added (not in the manifest)", rel))
			return nil
		}
		found[rel] = true
		b, err := readLimited(p, f.Size)
		if err != nil {
			if st, serr := os.Stat(p); serr == nil && st.Size() > f.Size {
				probs = append(probs, fmt.Sprintf("%s: altered (larger than in the manifest)", rel))
			} else {
				probs = append(probs, fmt.Sprintf("%s: %v", rel, err))
			}
			return nil
		}
		h := sha256.Sum256(b)
		if hex.EncodeToString(h[:]) != f.SHA256 || int64(len(b)) != f.Size {
			probs = append(probs, fmt.Sprintf("%s: altered (SHA-256 does not match the manifest)", rel))
		}
		return nil
	})
	if err != nil {
		probs = append(probs, err.Error())
	}
	for _, f := range m.Files {
		if _, ok := listed[f.Path]; ok && !found[f.Path] {
			probs = append(probs, f.Path+": missing")
		}
	}
	if len(probs) > 0 {
		sort.Strings(probs)
		return nil, &VerifyError{Dir: dir, Problems: probs}
	}
	h := sha256.Sum256(mb)
	return &Verified{Org: m.Org, Output: m.Output, Cases: m.Cases, Files: len(m.Files), SHA256: hex.EncodeToString(h[:])}, nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// validPath accepts relative slash-separated paths without "." or ".."
// elements.
func validPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) {
		return false
	}
	for _, e := range strings.Split(p, "/") {
		if e == "" || e == "." || e == ".." {
			return false
		}
	}
	return true
}

// readLimited reads a file that must not be larger than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: missing", filepath.Base(path))
		}
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", filepath.Base(path), limit)
	}
	return b, nil
}
