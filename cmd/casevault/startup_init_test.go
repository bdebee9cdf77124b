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
	pkg    string
	bytes  int64
	allocs int64
}

// Every casevault command pays the initialisation of every package linked
// into the binary, before it parses its first flag (issue 14: zxcvbn's
// dictionaries cost 40–165 ms and 11 MB in every command, even --version,
// jsonschema's meta-schemas 10–100 ms and 1.7 MB; then package-level
// regular expressions, confusables' table and word sets 1.1 MB more).
// This builds the real binary, runs `casevault --version` with
// GODEBUG=inittrace=1 and measures what each package's initialisation
// allocates: bytes and allocations, not time, so a loaded machine
// does not change the verdict. Limits leave headroom over today's figures
// (about 0.96 MiB and 5,900 allocations in all, at most 12 KiB in one
// casevault package); what they catch is a heavy table, a dictionary or a
// set of regular expressions built at start again.
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
		a, err := strconv.ParseInt(f[9], 10, 64)
		if err != nil {
			t.Fatalf("inittrace line %q: %v", sc.Text(), err)
		}
		inits = append(inits, initCost{pkg: f[1], bytes: n, allocs: a})
	}
	if len(inits) < 50 {
		t.Fatalf("only %d package initialisations traced: GODEBUG=inittrace=1 not honoured?\n%s", len(inits), stderr.Bytes())
	}
	const (
		maxTotal       = 1536 << 10 // all packages (today about 0.96 MiB; 2 MiB before the regular expressions and tables were made lazy)
		maxTotalAllocs = 8000       // all packages (today about 5,900; 10,900 before)
		maxOurs        = 64 << 10   // any one casevault package (today at most 12 KiB; publish took 0.6 MiB)
		maxVendored    = 32 << 10   // the vendored zxcvbn, jsonschema and confusables (upstream: 11 MB, 1.7 MB, 218 KB)
	)
	var total, allocs int64
	for _, c := range inits {
		total += c.bytes
		allocs += c.allocs
		switch {
		case c.pkg == "github.com/mtibben/confusables" || strings.HasPrefix(c.pkg, "github.com/trustelem/zxcvbn") || strings.HasPrefix(c.pkg, "github.com/santhosh-tekuri/jsonschema"):
			t.Errorf("package %s is linked into the binary: use the vendored copy, which builds its tables on first use", c.pkg)
		case (strings.Contains(c.pkg, "zxcvbn") || strings.Contains(c.pkg, "jsonschema") || strings.Contains(c.pkg, "third_party/confusables")) && c.bytes > maxVendored:
			t.Errorf("package %s allocates %d bytes at start-up: its dictionaries, tables or meta-schemas must be built on first use", c.pkg, c.bytes)
		case strings.HasPrefix(c.pkg, "github.com/casevault/") && c.bytes > maxOurs:
			t.Errorf("package %s allocates %d bytes at start-up (limit %d): build its tables on first use (sync.OnceValue)", c.pkg, c.bytes, maxOurs)
		}
	}
	if total > maxTotal {
		t.Errorf("package initialisation allocates %d bytes in all (limit %d); the largest:\n%s", total, maxTotal, largestInits(inits, 8))
	}
	if allocs > maxTotalAllocs {
		t.Errorf("package initialisation makes %d allocations in all (limit %d); the largest:\n%s", allocs, maxTotalAllocs, largestInits(inits, 8))
	}
	t.Logf("%d packages initialised, %d bytes and %d allocations in all; the largest:\n%s", len(inits), total, allocs, largestInits(inits, 8))
}

func largestInits(inits []initCost, n int) string {
	s := slices.Clone(inits)
	slices.SortFunc(s, func(a, b initCost) int { return cmp.Compare(b.bytes, a.bytes) })
	s = s[:min(n, len(s))]
	var b strings.Builder
	for _, c := range s {
		b.WriteString("  " + c.pkg + " " + strconv.FormatInt(c.bytes, 10) + " bytes, " + strconv.FormatInt(c.allocs, 10) + " allocs\n")
	}
	return b.String()
}
