//go:build !linux

package atomicfile

import "os"

// preallocate does nothing where there is no fallocate.
func preallocate(*os.File, int64) {}

// startWriteback does nothing where sync_file_range is not available.
func startWriteback(*os.File, int64, int64) {}
