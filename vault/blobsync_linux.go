package vault

import (
	"os"
	"syscall"
)

// startWriteback asks the kernel to start writing the given range of f to
// disk now, without waiting (sync_file_range with SYNC_FILE_RANGE_WRITE), so
// that the fsync at the end of a large blob has little left to do. Errors
// are ignored: the final fsync reports them.
func startWriteback(f *os.File, off, n int64) {
	const syncFileRangeWrite = 2
	_, _, _ = syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, f.Fd(), uintptr(off), uintptr(n), syncFileRangeWrite, 0, 0)
}
