package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// importMemoryLimit is the soft limit of the Go runtime's memory during an
// import where the process's resident memory cannot be read (see
// steerMemory), and the least it is steered to where it can. The heap an
// import keeps alive is bounded by its batch and by the store's table
// builders, but with the default GOGC the runtime lets garbage grow to
// twice the live heap and returns freed pages slowly: with the limit it
// collects and returns memory before the process passes it, so that an
// import stays under 512 MiB of RSS whatever the file's size. It is
// 320 MiB less the vault's token cache where that cache lives outside the
// Go heap (tokenCacheOffHeap: 32 MiB on Linux and macOS, where the limit
// does not count it; vault/internal/index/tokencache.go). GOMEMLIMIT in
// the environment takes precedence.
const importMemoryLimit = 320<<20 - tokenCacheOffHeap

// importRSSBudget is the resident memory steerMemory keeps an import
// under: 512 MiB (issue 14) less a margin for what grows between two of
// its looks (steerEvery).
const importRSSBudget = 448 << 20

// steerEvery is how often steerMemory looks at the process's memory.
const steerEvery = 100 * time.Millisecond

// steerMemory sets the runtime's soft memory limit for an import, unless
// GOMEMLIMIT is set, and returns a function that stops steering it and
// restores the previous limit. Where the resident memory of the process
// can be read (residentBytes: Linux), the limit follows it every
// steerEvery: budget less what is resident outside the Go runtime
// (Badger's mapped table and memtable files, the token cache, the
// program), never below floor. The static floor alone (importMemoryLimit)
// left the runtime so little room above the store's table builders, whose
// buffers keep 200–320 MB of the heap alive at times, that it collected
// garbage back to back: 640 collections in a 100,000-case import of 70 s
// (issue 14).
func steerMemory(floor, budget int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(floor)
	if _, ok := residentBytes(); !ok {
		return func() { debug.SetMemoryLimit(prev) }
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(steerEvery)
		defer t.Stop()
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			rss, ok := residentBytes()
			if !ok {
				continue
			}
			metrics.Read(s)
			held := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
			debug.SetMemoryLimit(steeredLimit(rss, held, floor, budget))
		}
	}()
	return func() {
		close(stop)
		<-done
		debug.SetMemoryLimit(prev)
	}
}

// steeredLimit is the runtime's memory limit that keeps a process whose
// resident memory is rss, held bytes of it the Go runtime's, under budget:
// budget less the rest, never below floor.
func steeredLimit(rss, held, floor, budget int64) int64 {
	return max(budget-max(rss-held, 0), floor)
}
