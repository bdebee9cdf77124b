//go:build unix

package vault

import (
	"os"
	"syscall"
)

// freeSpace returns the bytes available to this user on dir's file system.
func freeSpace(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// canSyncDir: a directory is fsynced after a rename into it, so that the
// new name survives a crash.
const canSyncDir = true

// openForOverwrite opens an existing file for writing its old blocks over
// after it has been replaced by a rename.
func openForOverwrite(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|openNoFollow, 0)
}
