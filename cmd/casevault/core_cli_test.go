package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// coreEnv is an in-process environment for run: no terminal, the given
// variables only.
func coreEnv(stdin []byte, vars map[string]string) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{
		stdin:      bytes.NewReader(stdin),
		stdout:     &out,
		stderr:     &errb,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(any) bool { return false },
	}, &out, &errb
}

// TestEveryCommandHasExample enforces the rule of the code base: every
// command has a short description and examples, so --help teaches by
// example.
func TestEveryCommandHasExample(t *testing.T) {
	e, _, _ := coreEnv(nil, nil)
	root := newRootCmd(&globals{env: e})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() == "help" || c.Name() == "completion" || c.Hidden {
			return
		}
		if strings.TrimSpace(c.Short) == "" {
			t.Errorf("%q has no Short description", c.CommandPath())
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no Example", c.CommandPath())
		} else if !strings.Contains(c.Example, "casevault") {
			t.Errorf("%q: Example does not show a casevault command line", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// A case file over the size limit is invalid input (exit 6), from a file
// and from standard input, and is refused before any vault is touched.
func TestOversizedCaseFile(t *testing.T) {
	big := append([]byte("person:\n  name: X\nnotes: \""), bytes.Repeat([]byte("a"), 5<<20)...)
	big = append(big, "\"\n"...)
	f := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(f, big, 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(t.TempDir(), "none"), "NO_COLOR": "1"}
	for _, args := range [][]string{{"case", "add", "-f", f}, {"case", "add", "-f", "-"}} {
		e, out, errb := coreEnv(big, vars)
		if code := run(args, e); code != exitInvalid {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, exitInvalid, errb)
		}
		if out.Len() != 0 {
			t.Errorf("%v: stdout %q", args, out)
		}
		if !strings.Contains(errb.String(), "too large") {
			t.Errorf("%v: stderr %q", args, errb)
		}
	}
}

// TestReleaseBinaryScryptFactor builds casevault as users get it (go
// build, not go test) and checks that the identity.age its init writes
// uses scrypt work factor 18. Test binaries use 10 (see
// crypto.TestScryptWorkFactor), so only a real build can show this.
func TestReleaseBinaryScryptFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs scrypt at full cost")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		t.Skipf("no go command: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "casevault")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	pass := filepath.Join(dir, "pass")
	os.WriteFile(pass, []byte("release passphrase\n"), 0o600)
	vdir := filepath.Join(dir, "vault")
	cmd := exec.Command(bin, "--vault", vdir, "init", "--org", "Release", "--classic")
	cmd.Env = append(os.Environ(), "CASEVAULT_PASSPHRASE_FILE="+pass)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(vdir, "identity.age"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	var stanza string
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "-> ") {
			stanza = sc.Text()
			break
		}
	}
	f := strings.Fields(stanza)
	if len(f) != 4 || f[1] != "scrypt" {
		t.Fatalf("identity.age stanza %q, want -> scrypt SALT N", stanza)
	}
	if f[3] != "18" {
		t.Fatalf("released binary writes scrypt work factor %s, want 18", f[3])
	}
}
