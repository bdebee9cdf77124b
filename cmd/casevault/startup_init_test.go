//go:build linux

package main

import (
	"bufio"
	"bytes"
	"cmp"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// initCost is one package's initialisation, as GODEBUG=inittrace=1 prints it.
type initCost struct {
	pkg   string
	bytes int64
}

// Every casevault command pays the initialisation of every package linked
// into the binary, before it parses its first flag (issue 14: zxcvbn's
// dictionaries cost 40–165 ms and 11 MB in every command, even --version,
// jsonschema's meta-schemas 10–100 ms and 1.7 MB).
// This builds the real binary, runs `casevault --version` with
// GODEBUG=inittrace=1 and measures what each package's initialisation
// allocates: bytes, not time, so a loaded machine
// does not change the verdict. Limits are generous (several times today's
// figures); what they catch is a heavy table or a dictionary built at start
// again.
func TestStartupInitCost(t *testing.T) {
	bin := buildCasevault(t)
	cmd := exec.Command(bin, "--version")
	cmd.Stdout = io.Discard
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("casevault --version: %v\n%s", err, stderr.Bytes())
	}
	var inits []initCost
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init PKG @0.51 ms, 2.1 ms clock, 36320 bytes, 241 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 11 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		n, err := strconv.ParseInt(f[7], 10, 64)
		if err != nil {
			t.Fatalf("inittrace line %q: %v", sc.Text(), err)
		}
		inits = append(inits, initCost{pkg: f[1], bytes: n})
	}
	if len(inits) < 50 {
		t.Fatalf("only %d package initialisations traced: GODEBUG=inittrace=1 not honoured?\n%s", len(inits), stderr.Bytes())
	}
	const (
		maxTotal    = 6 << 20   // all packages (today about 2 MiB)
		maxOurs     = 1 << 20   // any one casevault package (today at most 0.6 MiB)
		maxVendored = 256 << 10 // the vendored zxcvbn and jsonschema (upstream: 11 MB and 1.7 MB)
	)
	var total int64
	for _, c := range inits {
		total += c.bytes
		switch {
		case (strings.Contains(c.pkg, "zxcvbn") || strings.Contains(c.pkg, "jsonschema")) && c.bytes > maxVendored:
			t.Errorf("package %s allocates %d bytes at start-up: its dictionaries or meta-schemas must be built on first use", c.pkg, c.bytes)
		case strings.HasPrefix(c.pkg, "github.com/casevault/") && c.bytes > maxOurs:
			t.Errorf("package %s allocates %d bytes at start-up (limit %d): build its tables on first use (sync.OnceValue)", c.pkg, c.bytes, maxOurs)
		}
	}
	if total > maxTotal {
		t.Errorf("package initialisation allocates %d bytes in all (limit %d); the largest:\n%s", total, maxTotal, largestInits(inits, 8))
	}
	t.Logf("%d packages initialised, %d bytes in all; the largest:\n%s", len(inits), total, largestInits(inits, 8))
}

func largestInits(inits []initCost, n int) string {
	s := slices.Clone(inits)
	slices.SortFunc(s, func(a, b initCost) int { return cmp.Compare(b.bytes, a.bytes) })
	s = s[:min(n, len(s))]
	var b strings.Builder
	for _, c := range s {
		b.WriteString("  " + c.pkg + " " + strconv.FormatInt(c.bytes, 10) + " bytes\n")
	}
	return b.String()
}
