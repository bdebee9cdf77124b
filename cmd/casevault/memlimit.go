package main

import (
	"os"
	"runtime/debug"
)

// importMemoryLimit is the soft limit of the Go runtime's memory during an
// import. The heap an import keeps alive is bounded by its batch and by the
// store's table builders (well under this), but with the default GOGC the
// runtime lets garbage grow to twice the live heap and returns freed pages
// slowly: with the limit it collects and returns memory before the process
// passes it, so that an import stays under 512 MiB of RSS whatever the
// file's size. It is 320 MiB less the vault's token cache where that cache
// lives outside the Go heap (tokenCacheOffHeap: 32 MiB on Linux and macOS,
// where the limit does not count it; vault/internal/index/tokencache.go).
// GOMEMLIMIT in the environment takes precedence.
const importMemoryLimit = 320<<20 - tokenCacheOffHeap

// limitMemory sets the runtime's soft memory limit to n bytes unless
// GOMEMLIMIT is set, and returns a function that restores the previous
// limit.
func limitMemory(n int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(n)
	return func() { debug.SetMemoryLimit(prev) }
}
