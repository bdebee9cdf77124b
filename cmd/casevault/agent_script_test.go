package main

import (
	"net"
	"path/filepath"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdIdleConns opens N connections to every agent socket in
// $XDG_RUNTIME_DIR/casevault that send nothing and are held until the
// script ends: idleconns N
func cmdIdleConns(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: idleconns N")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("idleconns: %v", err)
	}
	socks, _ := filepath.Glob(filepath.Join(ts.Getenv("XDG_RUNTIME_DIR"), "casevault", "*.sock"))
	if len(socks) == 0 {
		ts.Fatalf("idleconns: no agent socket")
	}
	for _, s := range socks {
		for range n {
			c, err := net.Dial("unix", s)
			if err != nil {
				ts.Fatalf("idleconns: %v", err)
			}
			ts.Defer(func() { c.Close() })
		}
	}
}
