//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// createExcl creates a new file at name that did not exist (not even as a
// symbolic link), with exactly the permission bits mode whatever the umask.
func createExcl(name string, mode fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, mode.Perm())
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(mode.Perm()); err != nil {
		f.Close()
		os.Remove(name)
		return nil, err
	}
	return f, nil
}

// placeNew gives the complete temporary file the name path, which must not
// exist: link(2) refuses an existing name, whatever it is. The caller
// removes tmp afterwards. Where the file system has no hard links, the name
// is claimed with O_EXCL instead (claimAndRename).
func placeNew(tmp, path string, _ bool) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	var le *os.LinkError
	if errors.As(err, &le) && (errors.Is(le.Err, syscall.EPERM) || errors.Is(le.Err, syscall.ENOTSUP) ||
		errors.Is(le.Err, syscall.EOPNOTSUPP) || errors.Is(le.Err, syscall.EMLINK)) {
		return claimAndRename(tmp, path)
	}
	return err
}

// privateRegular reports whether fi (from Lstat or an open descriptor) is a
// regular file owned by this process's user with no other name.
func privateRegular(fi os.FileInfo) bool {
	if !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid() && st.Nlink == 1
}

// openForOverwrite opens an existing file for writing its old blocks over
// after it has been replaced, without following a link or blocking on a
// FIFO.
func openForOverwrite(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// syncDir flushes a directory, so that a name just made in it survives a
// crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
