//go:build unix

package evidence

import (
	"os"
	"syscall"
)

// openBlobFlags make opening a blob refuse a symbolic link in the last
// component and not block on a FIFO planted in its place (O_NONBLOCK does
// nothing to reads of a regular file).
const openBlobFlags = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
