//go:build !unix

package main

import (
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdFifo needs named pipes (see fifo_unix_test.go).
func cmdFifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("named pipes are unix-only: guard the script with [!unix] skip")
}

// cmdSleep pauses the script: sleep DURATION.
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}
