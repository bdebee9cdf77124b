package vault

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// importStretchStats describes, for TestImportFile's per-stretch log, what
// may grow with the cases imported: the heap (live after the last
// collection, and collections so far), the process's resident memory
// (anonymous and file-backed, from /proc/self/statm where there is one),
// system time, and the store's tables by level.
func importStretchStats(v *Vault) string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var b strings.Builder
	fmt.Fprintf(&b, "heap live %d MiB (sys %d), %d GCs", ms.HeapAlloc>>20, ms.Sys>>20, ms.NumGC)
	if st, err := os.ReadFile("/proc/self/statm"); err == nil {
		var size, res, shared int64
		fmt.Sscan(string(st), &size, &res, &shared)
		pg := int64(os.Getpagesize())
		fmt.Fprintf(&b, "; RSS %d MiB (file %d)", res*pg>>20, shared*pg>>20)
	}
	if user, sys, minflt, majflt, ok := processTimes(); ok {
		fmt.Fprintf(&b, "; user %.1fs sys %.1fs, faults %d minor %d major", user.Seconds(), sys.Seconds(), minflt, majflt)
	}
	if v.db != nil {
		levels := map[int]int{}
		var bytes, index int64
		n := 0
		for _, t := range v.db.Tables() {
			levels[t.Level]++
			bytes += t.Size
			index += int64(t.IndexBytes)
			n++
		}
		fmt.Fprintf(&b, "; %d tables %d MiB (index %d KiB), by level", n, bytes>>20, index>>10)
		for l := 0; l < 7; l++ {
			if levels[l] > 0 {
				fmt.Fprintf(&b, " L%d:%d", l, levels[l])
			}
		}
	}
	return b.String()
}
