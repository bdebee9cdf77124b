//go:build linux

package store

import "golang.org/x/sys/unix"

// dropTablePages unmaps the resident pages of dir's table files from the
// process (they stay in the page cache) when its resident file-backed
// pages exceed limit bytes.
func dropTablePages(dir string, limit int64) int64 {
	res := residentFileBytes()
	if res <= limit {
		return res
	}
	for _, m := range tableMappings(dir) {
		// Badger maps tables MAP_SHARED: MADV_DONTNEED only removes this
		// process's page table entries. If the range was unmapped and
		// reused meanwhile, the kernel drops only what is there.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_DONTNEED)
	}
	return res
}
