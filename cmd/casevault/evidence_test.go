//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
)

// TestEvidenceGetRefusesTerminal: -o - is refused when standard output is
// a terminal, and nothing is read from the vault.
func TestEvidenceGetRefusesTerminal(t *testing.T) {
	id, err := crypto.GenerateIdentity(true)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	idFile := filepath.Join(dir, "id.txt")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	v, err := vault.Init(filepath.Join(dir, "vault"), vault.InitOptions{Org: "T", Identity: []byte(id.String()), Passphrase: []byte("p")})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := schema.Parse([]byte("schema: case.v1\nperson:\n  name: X\n"))
	c, _ := v.AddCase(doc)
	m, err := v.AddEvidence(context.Background(), c, strings.NewReader("secret content"), vault.EvidenceInput{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	vars := map[string]string{"CASEVAULT_DIR": filepath.Join(dir, "vault"), "CASEVAULT_IDENTITY": idFile, "NO_COLOR": "1"}
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] },
		isTerminal: func(s any) bool { return s == any(&stdout) }}
	if code := run([]string{"evidence", "get", m.ID, "-o", "-"}, e); code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, stderr.String())
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "refusing to write evidence to a terminal") {
		t.Fatalf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
	// Not a terminal: the content comes out.
	stderr.Reset()
	e.isTerminal = func(any) bool { return false }
	if code := run([]string{"evidence", "get", m.ID, "-o", "-"}, e); code != 0 || stdout.String() != "secret content" {
		t.Fatalf("exit %d stdout %q stderr %s", code, stdout.String(), stderr.String())
	}
}

// TestEvidenceKill starts the real binary adding a large file, kills it
// with SIGKILL part-way, and requires: the vault opens, check reports
// nothing but the orphaned temporary file, check --repair removes it, a
// second check is clean, and the half-added evidence is not listed.
func TestEvidenceKill(t *testing.T) {
	bin := buildCasevault(t)
	cv := newCrashVault(t, bin)
	v := cv.open(t)
	doc, _ := schema.Parse([]byte("schema: case.v1\nperson:\n  name: Kill Test\n"))
	c, err := v.AddCase(doc)
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	src := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 200<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	blobs := filepath.Join(cv.dir, "blobs")

	killed := false
	for attempt := 0; attempt < 3 && !killed; attempt++ {
		cmd := exec.Command(bin, "evidence", "add", c.String(), src)
		cmd.Env = cv.env
		var se bytes.Buffer
		cmd.Stderr = &se
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		// Kill once the temporary blob holds some 16 MiB.
	poll:
		for {
			select {
			case <-done:
				break poll
			case <-time.After(2 * time.Millisecond):
			}
			tmps, _ := filepath.Glob(filepath.Join(blobs, ".tmp-*"))
			if len(tmps) == 1 {
				if st, err := os.Stat(tmps[0]); err == nil && st.Size() > 16<<20 {
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					break poll
				}
			}
		}
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		killed = ws.Signaled() && ws.Signal() == syscall.SIGKILL
		if !killed {
			if cmd.ProcessState.ExitCode() != 0 {
				t.Fatalf("evidence add failed without a kill: %s", se.String())
			}
			t.Logf("attempt %d: the add finished before the kill; removing it and retrying", attempt)
			v := cv.open(t)
			list, _ := v.EvidenceList(c)
			for _, m := range list {
				e, _ := vault.ParseEvidenceID(m.ID)
				v.RemoveEvidence(e)
			}
			v.Close()
		}
	}
	if !killed {
		t.Skip("the machine is too fast to kill the add part-way")
	}

	v = cv.open(t)
	rep, err := v.Check(context.Background(), vault.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		if p.Kind != vault.ProblemOrphan || !p.Repairable {
			t.Errorf("after the kill check reports %s", p)
		}
	}
	if len(rep.Problems) != 1 {
		t.Errorf("after the kill check reports %d problems, want the one orphan", len(rep.Problems))
	}
	if list, err := v.EvidenceList(c); err != nil || len(list) != 0 {
		t.Fatalf("half-added evidence is listed: %v %v", list, err)
	}
	if _, err := v.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	v.Close()

	r := cv.runKill(t, -1, nil, "check")
	if r.code != exitDamaged || !strings.Contains(r.stdout, "orphan: temporary evidence file") {
		t.Fatalf("check after the kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cv.runKill(t, -1, nil, "check", "--repair")
	if r.code != 0 || !strings.Contains(r.stdout, "[repaired]") {
		t.Fatalf("check --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cv.runKill(t, -1, nil, "check", "--read-data")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("check after repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if ents, _ := os.ReadDir(blobs); len(ents) != 0 {
		t.Fatalf("%d files left in blobs/ after repair", len(ents))
	}
	r = cv.runKill(t, -1, nil, "evidence", "list", c.String(), "--json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("evidence list after repair: %s %s", r.stdout, r.stderr)
	}
}

// TestLeakEvidence: a canary inside an evidence file (at the start, across
// a chunk boundary and at the end) must not appear in any file under the
// vault directory, os.TempDir() or /dev/shm after add, get, verify and rm.
// The content reaches casevault only through pipes.
func TestLeakEvidence(t *testing.T) {
	if _, err := exec.LookPath("casevault"); err != nil {
		t.Skip("casevault is not in $PATH (run through go test)")
	}
	work := t.TempDir()
	vaultDir := filepath.Join(work, "vault")
	passFile := filepath.Join(work, "pass")
	os.WriteFile(passFile, []byte("leak test passphrase\n"), 0o600)
	env := append(os.Environ(), "CASEVAULT_DIR="+vaultDir, "CASEVAULT_PASSPHRASE_FILE="+passFile, "CASEVAULT_AUTHOR=tester", "NO_COLOR=1")
	s := newLeakSession(t)
	canary := "EVIDENCE-" + s.token + "-" + leakRandom(t, "abcdefghjkmnpqrstuvwxyz", 10)
	content := make([]byte, 3*crypto.StreamChunkSize+1234)
	for i := range content {
		content[i] = "evidence text "[i%14]
	}
	for _, off := range []int{0, crypto.StreamChunkSize - len(canary)/2, 2*crypto.StreamChunkSize + 77, len(content) - len(canary)} {
		copy(content[off:], canary)
	}

	leakRun(t, env, nil, "init", "--org", "Leak Test Group")
	c := strings.TrimSpace(leakRun(t, env, []byte("schema: case.v1\nperson:\n  name: Leak Person\n"), "case", "add", "-f", "-"))
	out := leakRun(t, env, content, "evidence", "add", c, "-", "--name", "statement.txt")
	e := strings.Fields(out)[0]
	if got := leakRun(t, env, nil, "evidence", "get", e, "-o", "-"); got != string(content) {
		t.Fatal("evidence get -o - does not give the content back")
	}
	outFile := filepath.Join(work, "out.txt")
	leakRun(t, env, nil, "evidence", "get", e, "-o", outFile)
	if b, _ := os.ReadFile(outFile); !bytes.Equal(b, content) {
		t.Fatal("evidence get -o FILE does not give the content back")
	}
	os.Remove(outFile) // the one place the user asked for the plaintext
	leakRun(t, env, nil, "evidence", "verify", "--all")
	leakRun(t, env, nil, "evidence", "show", e)
	leakRun(t, env, nil, "check", "--read-data")
	// A second copy stays in the vault while it is scanned; the first is
	// removed.
	leakRun(t, env, content, "evidence", "add", c, "-", "--name", "copy.txt")
	leakRun(t, env, nil, "evidence", "rm", e)

	needles := [][]byte{[]byte(s.token), []byte(strings.ToLower(s.token))}
	files, vaultFiles := 0, 0
	for _, root := range []string{vaultDir, os.TempDir(), "/dev/shm"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			files++
			if strings.HasPrefix(p, vaultDir) {
				vaultFiles++
			}
			if hit := fileContains(p, needles); hit {
				t.Errorf("evidence canary found in %s", p)
			}
			return nil
		})
	}
	if vaultFiles < 4 {
		t.Fatalf("only %d files in the vault", vaultFiles)
	}
	t.Logf("%d files scanned (%d in the vault), no canary", files, vaultFiles)
}

// fileContains reports whether the file holds any of needles, reading it
// in pieces so that large files are not loaded whole.
func fileContains(path string, needles [][]byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	const overlap = 64
	buf := make([]byte, 0, 1<<20+overlap)
	chunk := make([]byte, 1<<20)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for _, nd := range needles {
			if bytes.Contains(buf, nd) {
				return true
			}
		}
		if len(buf) > overlap {
			buf = append(buf[:0], buf[len(buf)-overlap:]...)
		}
		if err != nil {
			return false
		}
	}
}
