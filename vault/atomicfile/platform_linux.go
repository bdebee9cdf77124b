package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// preallocate reserves size bytes for f (fallocate), which spares the file
// system many small allocations while the file grows; a failure is
// ignored: the writes allocate as they go.
func preallocate(f *os.File, size int64) {
	_ = unix.Fallocate(int(f.Fd()), 0, 0, size)
}

// startWriteback asks the kernel to start writing the given range of f to
// disk now, without waiting; errors are ignored (the final fsync reports
// them).
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
