//go:build linux

package vault

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// residentFileBytes returns the process's resident file-backed and shared
// memory (the third field of /proc/self/statm, in pages), 0 if unknown.
func residentFileBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	n, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0
	}
	return n * int64(os.Getpagesize())
}

// releaseTablePages drops this process's pages of the mappings of dir's
// table files (*.sst) with MADV_DONTNEED. Badger maps tables shared
// (MAP_SHARED), so this loses nothing: the pages stay in the kernel's page
// cache, and a page used again is mapped again from there (unlike
// MADV_PAGEOUT, which the store's ReleaseTables uses for an import's
// written tables and which also evicts them from the cache, so that the
// next search would read them from disk). Call it only while the store,
// opened read-only, is open. It is a hint: errors are ignored.
func releaseTablePages(dir string) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // the kernel lists mappings by their resolved path
	}
	prefix := []byte(abs + string(filepath.Separator))
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Bytes() // start-end perms offset dev inode path
		i := bytes.IndexByte(line, '/')
		if i < 0 {
			continue
		}
		if path := line[i:]; !bytes.HasPrefix(path, prefix) || !bytes.HasSuffix(path, []byte(".sst")) {
			continue
		}
		rng, _, _ := bytes.Cut(line, []byte(" "))
		a, z, ok := bytes.Cut(rng, []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(a), 16, 64)
		end, err2 := strconv.ParseUint(string(z), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		// Only for a store opened read-only (newPageBound): no table is
		// unmapped before it closes, so the range is still the table's.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_DONTNEED)
	}
}
