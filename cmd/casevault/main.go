// Command casevault keeps the case files of political prisoners encrypted,
// shares chosen parts of them with partner organisations as signed bundles,
// and publishes redacted public summaries.
//
// Run `casevault --help` for the commands; README.md has a quickstart and
// the exit-code table, SECURITY.md the threat model and formats.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], newSystemEnv()))
}
