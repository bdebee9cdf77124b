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
	dir := filepath.Dir(path)
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, ".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}

// replaceFileOverwriting atomically replaces path with data, then overwrites
// the old file's blocks with random bytes through a descriptor kept open
// across the rename. It is best effort against recovery from the disk (see
// SECURITY.md on journaling file systems and flash).
func replaceFileOverwriting(path string, data []byte) error {
	// Only a private regular file is overwritten: never the target of a
	// link or a planted hard link (the rename replaces the name only).
	var old *os.File
	if fi, err := os.Lstat(path); err == nil && privateRegular(fi) {
		f, err := openForOverwrite(path)
		if err == nil {
			if st, err := f.Stat(); err == nil && os.SameFile(fi, st) && privateRegular(st) {
				old = f
			} else {
				f.Close()
			}
		}
	}
	if err := writeFileAtomic(path, data); err != nil {
		if old != nil {
			old.Close()
		}
		return err
	}
	if old == nil {
		return nil
	}
	defer old.Close()
	st, err := old.Stat()
	if err != nil {
		return err
	}
	junk := make([]byte, st.Size())
	_, _ = rand.Read(junk)
	if _, err := old.WriteAt(junk, 0); err != nil {
		return fmt.Errorf("overwriting old %s: %w", filepath.Base(path), err)
	}
	return old.Sync()
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
	h, ok := strings.CutPrefix(name, ".tmp-")
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
