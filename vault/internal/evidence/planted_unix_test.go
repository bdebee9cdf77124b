//go:build unix

package evidence

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/casevault/casevault/vault/internal/errs"
)

// Only a regular file is a blob: a FIFO planted in a blob's place is
// refused as damage at once (it used to block the reader for ever), and so
// are a symbolic link to a good copy of the blob and a directory.
func TestStreamRefusesPlantedFiles(t *testing.T) {
	data := []byte("evidence that must be a regular file")
	for _, kind := range []string{"fifo", "symlink", "directory"} {
		t.Run(kind, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "blobs")
			rec := writeRecord(t, dir, data)
			path := filepath.Join(dir, rec.Blob)
			good := filepath.Join(t.TempDir(), "copy")
			if err := os.Rename(path, good); err != nil {
				t.Fatal(err)
			}
			var err error
			switch kind {
			case "fifo":
				err = syscall.Mkfifo(path, 0o600)
			case "symlink":
				err = os.Symlink(good, path)
			case "directory":
				err = os.Mkdir(path, 0o700)
			}
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- Stream(dir, rec, io.Discard) }()
			err = <-done // a hang here fails the test by its timeout
			var de *DamagedError
			if !errors.As(err, &de) || !errors.Is(err, errs.ErrDamaged) {
				t.Fatalf("a %s in the blob's place: %v, want a *DamagedError", kind, err)
			}
		})
	}
}
