package vault

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/vault/atomicfile"
)

// writeFileAtomic writes data to path through a new temporary file in the
// same directory (created O_EXCL, mode 0600), synced, then renamed over
// path, and the directory synced. A crash leaves either the old file or the
// new one, never a mix.
func writeFileAtomic(path string, data []byte) error {
	return writeStreamAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeStreamAtomic is writeFileAtomic for content produced by write, which
// gets a buffered writer on the temporary file. If write fails, nothing
// appears at path and the temporary file is removed.
func writeStreamAtomic(path string, write func(w io.Writer) error) error {
	return atomicfile.Write(path, bufferedFill(write), atomicfile.Options{Sync: true})
}

// bufferedFill gives write a 1 MiB buffer in front of the file.
func bufferedFill(write func(w io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
}

// replaceFileOverwriting atomically replaces path with data, then overwrites
// the old file's blocks with random bytes through a descriptor kept open
// across the rename. It is best effort against recovery from the disk (see
// SECURITY.md on journaling file systems and flash). Only a private regular
// file is overwritten: never the target of a link or a planted hard link
// (the rename replaces the name only).
func replaceFileOverwriting(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, atomicfile.Options{Sync: true, OverwriteOld: true})
}

// shredFile overwrites a file with random bytes, syncs and removes it. It
// never follows a symbolic link and never overwrites what is not a
// private regular file (privateRegular): a link, FIFO, device or directory
// planted under the name is left alone and reported, and a regular file
// with another name or owner (a planted hard link) is only unlinked, its
// content untouched (SECURITY.md, "Shredding never follows links").
func shredFile(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (%v): left alone", path, fi.Mode().Type())
	}
	f, err := os.OpenFile(path, os.O_WRONLY|openNoFollow, 0)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return fmt.Errorf("%s: %w (left alone)", path, err)
	}
	st, err := f.Stat()
	if err == nil && os.SameFile(fi, st) && privateRegular(st) {
		buf := make([]byte, 1<<20)
		for off := int64(0); off < st.Size(); off += int64(len(buf)) {
			n := min(int64(len(buf)), st.Size()-off)
			_, _ = rand.Read(buf[:n])
			if _, err := f.WriteAt(buf[:n], off); err != nil {
				break
			}
		}
		_ = f.Sync()
	}
	f.Close()
	return os.Remove(path)
}

// shredDir shreds every regular file below dir and removes it.
func shredDir(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			return shredFile(p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.RemoveAll(dir)
}

// shredContents shreds everything in dir (best effort) and leaves dir.
func shredContents(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			_ = shredDir(p)
		} else {
			_ = shredFile(p)
		}
	}
}

func syncDir(dir string) error {
	if !canSyncDir {
		return nil // see canSyncDir in platform_windows.go
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// isOwnTempName reports whether name is exactly what writeStreamAtomic
// names its temporary files: ".tmp-" and 16 lower-case hex digits.
func isOwnTempName(name string) bool {
	h, ok := strings.CutPrefix(name, atomicfile.DefaultTempPrefix)
	if !ok || len(h) != 16 {
		return false
	}
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// privateEntry is privateRegular for a directory entry.
func privateEntry(e os.DirEntry) bool {
	fi, err := e.Info()
	return err == nil && privateRegular(fi)
}
