//go:build unix

package main

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdFifo drives a named pipe, used as a passphrase file to hold a
// casevault process at its passphrase read (after it has taken the vault's
// lock): fifo make NAME | fifo open NAME | fifo write NAME TEXT.
// "open" waits (up to two minutes) until a reader has the pipe open;
// "write" writes TEXT and a newline and closes the pipe.
func cmdFifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: fifo make|open|write NAME [TEXT]")
	}
	path := ts.MkAbs(args[1])
	switch args[0] {
	case "make":
		ts.Check(syscall.Mkfifo(path, 0o600))
		// A reader still blocked when the script ends (it failed early)
		// gets end-of-file instead of hanging the test.
		ts.Defer(func() {
			fifoMu.Lock()
			if f := fifoOpen[path]; f != nil {
				f.Close()
				delete(fifoOpen, path)
			}
			fifoMu.Unlock()
			if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		})
	case "open":
		deadline := time.Now().Add(2 * time.Minute)
		for {
			f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			if err == nil {
				fifoMu.Lock()
				fifoOpen[path] = f
				fifoMu.Unlock()
				return
			}
			if !errors.Is(err, syscall.ENXIO) || time.Now().After(deadline) {
				ts.Fatalf("fifo open %s: %v", path, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "write":
		if len(args) != 3 {
			ts.Fatalf("usage: fifo write NAME TEXT")
		}
		fifoMu.Lock()
		f := fifoOpen[path]
		delete(fifoOpen, path)
		fifoMu.Unlock()
		if f == nil {
			ts.Fatalf("fifo write %s: not opened with 'fifo open'", path)
		}
		_, err := f.WriteString(args[2] + "\n")
		ts.Check(err)
		ts.Check(f.Close())
	default:
		ts.Fatalf("usage: fifo make|open|write NAME [TEXT]")
	}
}

var (
	fifoMu   sync.Mutex
	fifoOpen = map[string]*os.File{}
)

// cmdSleep pauses the script: sleep DURATION. It only orders background
// processes; no test asserts how long anything took.
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}
