// Package atomicfile writes a file so that a reader, a crash or a kill sees
// either what was at the path before (or nothing) or the complete new file,
// never a part of it.
//
// The content goes to a temporary file created O_EXCL in the target's
// directory (so the final step is a rename or link within one file
// system), private (mode 0600; on Windows an owner-only ACL) unless
// [Options.Mode] says otherwise. The temporary file is removed on any
// error, and neither it nor the target is ever opened through a symbolic
// link: O_EXCL refuses a planted link at the temporary name, and rename and
// link(2) replace or refuse a name without following it.
//
// [Write] is the whole cycle for content produced by a function; [Create]
// returns a [File] for writers that must do something between the last byte
// and the moment the file appears (casevault records a bundle export in its
// audit log first).
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Options say how a file is written. The zero value replaces an existing
// file, does not sync, and makes the file 0600.
type Options struct {
	// NoClobber never replaces an existing file: the temporary file is
	// linked to the target name (link(2); MoveFileEx without
	// MOVEFILE_REPLACE_EXISTING on Windows), which fails with an error
	// matching fs.ErrExist if anything, even a dangling symbolic link, has
	// that name by then.
	NoClobber bool
	// Sync flushes the file to disk before it is put in place and the
	// directory after, so that the new name survives a power cut.
	Sync bool
	// Mode is the file's permission bits (0600 when zero). On Windows a
	// mode without group and other bits gives the file an owner-only,
	// protected ACL from the moment it is created.
	Mode fs.FileMode
	// Lazy creates the temporary file only at the first write (or at
	// Commit, for an empty file), so that a run that fails before producing
	// anything touches nothing.
	Lazy bool
	// OverwriteOld, when a private regular file is replaced, overwrites the
	// old file's blocks with random bytes after the new one is in place,
	// through a descriptor opened before the rename. It is best effort
	// against recovery from the disk (journaling file systems and flash
	// keep copies). A link, or a file with another owner or a second name,
	// is never overwritten.
	OverwriteOld bool
	// TempPrefix starts the temporary file's name, followed by 16 random
	// hexadecimal digits (".tmp-" when empty).
	TempPrefix string
	// SizeHint, when positive, is the expected size: its blocks are
	// allocated at once where the system can (fallocate on Linux).
	SizeHint int64
	// Writeback starts the writeback of every complete 8 MiB behind the
	// writes (sync_file_range on Linux), so that the final sync of a large
	// file has little left to do.
	Writeback bool
}

// DefaultTempPrefix starts the name of a temporary file when
// Options.TempPrefix is empty.
const DefaultTempPrefix = ".tmp-"

// writebackWindow is how much is written before the kernel is asked to
// start writing it out (Options.Writeback).
const writebackWindow = 8 << 20

// randRead fills the random part of temporary names; a test replaces it
// to plant a file at the name that will be tried.
var randRead = rand.Read

// placeHook, when set by a test, runs after the temporary file is complete
// and closed, just before it is put in place.
var placeHook func(tmp, path string)

// Write writes the content fill produces to path. If fill or any step
// fails, nothing is left at path that was not there before, and the
// temporary file is removed.
func Write(path string, fill func(io.Writer) error, opt Options) error {
	f, err := Create(path, opt)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// A File is a file being written to a temporary name; [File.Commit] puts it
// at its path, [File.Abort] removes it. Its methods are not safe for
// concurrent use.
type File struct {
	path, tmp string
	opt       Options
	f         *os.File
	off       int64 // bytes written
	flushed   int64 // bytes whose writeback was started
	done      bool
	err       error // first write error
}

var _ io.Writer = (*File)(nil)

// Create starts writing a file for path. Unless opt.Lazy, the temporary
// file is created now.
func Create(path string, opt Options) (*File, error) {
	if opt.Mode == 0 {
		opt.Mode = 0o600
	}
	if opt.TempPrefix == "" {
		opt.TempPrefix = DefaultTempPrefix
	}
	w := &File{path: path, opt: opt}
	if !opt.Lazy {
		if err := w.open(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Name returns the path the file is written to.
func (w *File) Name() string { return w.path }

func (w *File) open() error {
	dir := filepath.Dir(w.path)
	var err error
	for range 100 {
		var rnd [8]byte
		if _, err := randRead(rnd[:]); err != nil {
			return err
		}
		tmp := filepath.Join(dir, w.opt.TempPrefix+hex.EncodeToString(rnd[:]))
		var f *os.File
		f, err = createExcl(tmp, w.opt.Mode)
		if errors.Is(err, fs.ErrExist) {
			continue // another writer's temporary file, or something planted
		}
		if err != nil {
			return err
		}
		w.f, w.tmp = f, tmp
		if w.opt.SizeHint > 0 {
			preallocate(f, w.opt.SizeHint)
		}
		return nil
	}
	return fmt.Errorf("creating a temporary file beside %s: %w", w.path, err)
}

// Write writes p to the temporary file.
func (w *File) Write(p []byte) (int, error) {
	if w.done {
		return 0, fs.ErrClosed
	}
	if w.err != nil {
		return 0, w.err
	}
	if w.f == nil {
		if err := w.open(); err != nil {
			w.err = err
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.opt.Writeback && w.off-w.flushed >= writebackWindow {
		startWriteback(w.f, w.flushed, w.off-w.flushed)
		w.flushed = w.off
	}
	if err != nil {
		w.err = err
	}
	return n, err
}

// Abort removes the temporary file. It does nothing after Commit.
func (w *File) Abort() {
	if w.done {
		return
	}
	w.done = true
	if w.f != nil {
		w.f.Close()
		os.Remove(w.tmp)
	}
}

// Commit completes the file and puts it at its path: synced first with
// Options.Sync, refused if the path exists with Options.NoClobber. On an
// error nothing new is left at the path and the temporary file is removed
// (with Options.Sync and without NoClobber, a failed sync of the directory
// after the rename is reported with the new file in place).
func (w *File) Commit() (err error) {
	if w.done {
		return fs.ErrClosed
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	if w.f == nil {
		if err := w.open(); err != nil { // an empty file
			w.done = true
			return err
		}
	}
	w.done = true
	placed := false
	defer func() {
		if !placed {
			os.Remove(w.tmp)
		}
	}()
	if w.opt.Sync {
		if err := w.f.Sync(); err != nil {
			w.f.Close()
			return err
		}
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	var old *os.File
	if w.opt.OverwriteOld && !w.opt.NoClobber {
		old = openOld(w.path)
	}
	if placeHook != nil {
		placeHook(w.tmp, w.path)
	}
	if w.opt.NoClobber {
		err = placeNew(w.tmp, w.path, w.opt.Sync)
	} else {
		err = os.Rename(w.tmp, w.path)
	}
	if err != nil {
		if old != nil {
			old.Close()
		}
		return err
	}
	placed = true
	if w.opt.NoClobber {
		os.Remove(w.tmp) // the link's other name, if placeNew linked
	}
	if w.opt.Sync {
		if err := syncDir(filepath.Dir(w.path)); err != nil {
			if w.opt.NoClobber {
				os.Remove(w.path)
			}
			if old != nil {
				old.Close()
			}
			return err
		}
	}
	if old != nil {
		return overwrite(old, w.path)
	}
	return nil
}

// openOld opens the file at path for overwriting after it has been
// replaced, if it is a private regular file, or returns nil.
func openOld(path string) *os.File {
	fi, err := os.Lstat(path)
	if err != nil || !privateRegular(fi) {
		return nil
	}
	f, err := openForOverwrite(path)
	if err != nil {
		return nil
	}
	if st, err := f.Stat(); err == nil && os.SameFile(fi, st) && privateRegular(st) {
		return f
	}
	f.Close()
	return nil
}

// overwrite writes random bytes over all of old, syncs and closes it.
func overwrite(old *os.File, path string) error {
	defer old.Close()
	st, err := old.Stat()
	if err != nil {
		return err
	}
	buf := make([]byte, min(st.Size(), 1<<20))
	for off := int64(0); off < st.Size(); off += int64(len(buf)) {
		n := min(int64(len(buf)), st.Size()-off)
		_, _ = rand.Read(buf[:n])
		if _, err := old.WriteAt(buf[:n], off); err != nil {
			return fmt.Errorf("overwriting old %s: %w", filepath.Base(path), err)
		}
	}
	return old.Sync()
}

// claimAndRename is placeNew where the file system has no hard links (FAT
// on a USB stick): path is claimed by creating it O_EXCL, then the
// temporary file is renamed over the empty file just made. A crash between
// the two steps leaves that empty file.
func claimAndRename(tmp, path string) error {
	f, err := createExcl(path, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
