// Command casevault keeps the case files of political prisoners encrypted,
// shares chosen parts of them with partner organisations as signed bundles,
// and publishes redacted public summaries.
//
// Run `casevault --help` for the commands; README.md has a quickstart and
// the exit-code table, SECURITY.md the threat model and formats.
package main

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the default soft memory limit of the Go runtime: the
// store's compactions during a large import otherwise let the heap grow to
// several times what is live. GOMEMLIMIT overrides it.
const memoryLimit = 256 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	privateUmask()
	os.Exit(run(os.Args[1:], newSystemEnv()))
}
