package publish

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/casevault/casevault/vault/internal/errs"
)

// A Publication is the complete content of a publication directory:
// rendered files, MANIFEST.json and MANIFEST.sig.
type Publication struct {
	Files          map[string][]byte // by slash-separated relative path
	ManifestSHA256 []byte
}

// Build renders set in format and adds the manifest, signed with sign (the
// organisation's Ed25519 signature; Ed25519 is deterministic, so the same
// set gives byte-identical files).
func Build(set *Set, format string, key ed25519.PublicKey, sign func([]byte) []byte) (*Publication, error) {
	files, err := Render(set, format)
	if err != nil {
		return nil, err
	}
	mj := NewManifest(set.Org, key, format, len(set.Records), files).Encode()
	sig := sign(SignedMessage(mj))
	if !ed25519.Verify(key, SignedMessage(mj), sig) {
		return nil, errors.New("signing the manifest: signature does not verify with the organisation's key")
	}
	files[ManifestName] = mj
	files[SignatureName] = EncodeSignature(sig)
	h := sha256.Sum256(mj)
	return &Publication{Files: files, ManifestSHA256: h[:]}, nil
}

// Paths returns the paths of the files, sorted.
func (p *Publication) Paths() []string {
	out := make([]string, 0, len(p.Files))
	for k := range p.Files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrOutputExists is returned by [Publication.WriteDir] when the target
// holds something other than an earlier publication.
var ErrOutputExists = errs.New(errs.ErrExists, "output directory exists and is not an earlier casevault publication")

// WriteDir writes the publication to the directory dir, which must not
// exist, be empty, or hold an earlier publication (it has a MANIFEST.json),
// which is replaced. The files are written to a temporary directory next to
// dir and renamed into place, so a failure leaves dir as it was. Published
// files are public: directories are 0755 and files 0644.
func (p *Publication) WriteDir(dir string) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	replace, err := checkOutputDir(dir)
	if err != nil {
		return err
	}
	tmp := filepath.Join(parent, "."+filepath.Base(dir)+".tmp-"+randomHex())
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for _, rel := range p.Paths() {
		if !validPath(rel) {
			return fmt.Errorf("invalid path %q in publication", rel)
		}
		path := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := writeSynced(path, p.Files[rel]); err != nil {
			return err
		}
	}
	if err := syncDirs(tmp); err != nil {
		return err
	}
	if replace {
		old := filepath.Join(parent, "."+filepath.Base(dir)+".old-"+randomHex())
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			_ = os.Rename(old, dir)
			return err
		}
		ok = true
		_ = syncDir(parent)
		return os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	ok = true
	return syncDir(parent)
}

// CheckOutputDir reports whether dir can take a publication: it does not
// exist, is empty, or holds an earlier publication.
func CheckOutputDir(dir string) error {
	_, err := checkOutputDir(filepath.Clean(dir))
	return err
}

// checkOutputDir is CheckOutputDir that also says whether dir exists and
// will be replaced.
func checkOutputDir(dir string) (replace bool, err error) {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Dir(dir)); err != nil {
			return false, fmt.Errorf("output directory: %w", err)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !st.IsDir() {
		return false, fmt.Errorf("%s: %w (it is a file)", dir, ErrOutputExists)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	if len(ents) > 0 {
		if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
			return false, fmt.Errorf("%s: %w", dir, ErrOutputExists)
		}
	}
	return true, nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDirs(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(p)
		}
		return nil
	})
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // FlushFileBuffers needs a writable handle; NTFS journals the rename
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
