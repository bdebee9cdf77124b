package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// testOnlyPackages are packages that exist for tests and must never be
// linked into the casevault command: the testing package (which crypto
// once consulted to pick the scrypt cost) and cryptotest, which lowers it.
var testOnlyPackages = []string{
	"testing",
	"github.com/casevault/casevault/crypto/cryptotest",
}

// TestReleaseBinaryHasNoTestHooks checks what `go build ./cmd/casevault`
// links: none of testOnlyPackages (nor testing/…) is among the command's
// dependencies for any target we ship, and the linked binary has no symbol
// from them. A test hook reachable from the release binary could lower the
// scrypt cost of identity.age for real users.
func TestReleaseBinaryHasNoTestHooks(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		t.Skipf("no go command: %v", err)
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		cmd := exec.Command(goTool, "list", "-deps", ".")
		cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list -deps: %v", goos, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 || !slices.Contains(deps, "github.com/casevault/casevault/crypto") {
			t.Fatalf("GOOS=%s go list -deps gave %d packages without crypto: %q", goos, len(deps), out)
		}
		for _, d := range deps {
			if isTestOnly(d) {
				t.Errorf("GOOS=%s: casevault depends on %s, a test-only package", goos, d)
			}
		}
	}
	if testing.Short() {
		return
	}
	bin := filepath.Join(t.TempDir(), "casevault")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(goTool, "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		name := f[len(f)-1]
		syms++
		if pkg, _, ok := strings.Cut(name, "."); ok && isTestOnly(pkg) || strings.Contains(name, "cryptotest.") {
			t.Errorf("the built binary has symbol %s from a test-only package", name)
		}
	}
	if syms < 1000 {
		t.Fatalf("go tool nm listed %d symbols; cannot judge", syms)
	}
}

func isTestOnly(pkg string) bool {
	for _, p := range testOnlyPackages {
		if pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}
