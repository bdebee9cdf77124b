//go:build linux

package store

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// releaseTables drops the pages of dir's table files from the process's
// memory when its resident file-backed pages exceed limit bytes.
func releaseTables(dir string, limit int64) int64 {
	res := residentFileBytes()
	if res <= limit {
		return res
	}
	for _, m := range tableMappings(dir) {
		// Badger maps tables MAP_SHARED: MADV_DONTNEED only removes this
		// process's page table entries (the pages stay in the page cache,
		// dirty ones are written back). If the range was unmapped and
		// reused meanwhile, the kernel drops only what is there.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_DONTNEED)
	}
	return res
}

// residentFileBytes returns the process's resident file-backed (and
// shared) memory: the third field of /proc/self/statm, in pages.
func residentFileBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return 0
	}
	return n * int64(os.Getpagesize())
}

type mapping struct{ start, end uintptr }

// tableMappings returns the address ranges of /proc/self/maps that map a
// table file (*.sst) of dir.
func tableMappings(dir string) []mapping {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil
	}
	defer f.Close()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // the kernel lists mappings by their resolved path
	}
	prefix := []byte(abs + string(filepath.Separator))
	var out []mapping
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Bytes()
		// start-end perms offset dev inode path
		i := bytes.IndexByte(line, '/')
		if i < 0 {
			continue
		}
		path := line[i:]
		if !bytes.HasPrefix(path, prefix) || !bytes.HasSuffix(path, []byte(".sst")) {
			continue
		}
		rng, _, _ := bytes.Cut(line, []byte(" "))
		a, b, ok := bytes.Cut(rng, []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(a), 16, 64)
		end, err2 := strconv.ParseUint(string(b), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		out = append(out, mapping{uintptr(start), uintptr(end)})
	}
	return out
}
