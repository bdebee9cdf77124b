//go:build unix

package vault

import (
	"os"
	"syscall"
)

// openNoFollow are the flags that make opening a file for overwriting
// refuse a symbolic link in the last component and not block on a FIFO.
const openNoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// privateRegular reports whether fi (from Lstat or an open descriptor)
// is a regular file owned by this process's user with no other name (a
// hard link planted to someone else's file has two).
func privateRegular(fi os.FileInfo) bool {
	if !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid() && st.Nlink == 1
}
