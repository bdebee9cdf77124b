package main

import (
	"os"
	"syscall"
)

// preallocate reserves size bytes for f (fallocate); a failure is ignored:
// the writes will allocate as they go.
func preallocate(f *os.File, size int64) {
	_ = syscall.Fallocate(int(f.Fd()), 0, 0, size)
}
