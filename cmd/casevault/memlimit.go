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
// file's size. It is 288 MiB, not 320 as before, since the vault's token
// cache (vault/internal/index/tokencache.go, up to 32 MiB) moved out of the
// Go heap on Unix, where the limit does not count it. GOMEMLIMIT in the
// environment takes precedence.
const importMemoryLimit = 288 << 20

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
