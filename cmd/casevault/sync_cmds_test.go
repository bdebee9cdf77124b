//go:build linux

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/weedtest"
	"github.com/minio/minio-go/v7"
)

func syncWeed(t *testing.T) *weedtest.Server {
	t.Helper()
	bin, err := weedtest.Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the S3 server is missing: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	s, err := weedtest.Start(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// run runs the binary and returns its exit code, stdout and stderr.
func (cv *crashVault) runEnv(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(cv.bin, args...)
	cmd.Env = append(append([]string{}, cv.env...), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// TestSyncCommandKilledThenCompletes drives remote add/list and sync
// through the real binary, SIGKILLs sync part-way several times, and
// requires the next sync to complete: the other copy ends with every case
// and the evidence, both audit chains verify and check finds nothing.
func TestSyncCommandKilledThenCompletes(t *testing.T) {
	s := syncWeed(t)
	bin := buildCasevault(t)
	a := newCrashVault(t, bin)
	v := a.open(t)
	var ids []vault.CaseID
	for i := 0; i < 300; i++ {
		doc := crashCase(t, fmt.Sprintf("Synced Person %d", i))
		id, err := v.AddCase(doc)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	big := make([]byte, 48<<20)
	rand.Read(big)
	if _, err := v.AddEvidence(context.Background(), ids[0], bytes.NewReader(big), vault.EvidenceInput{Name: "video.bin"}); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if _, err := v.Backup(context.Background(), &backup, nil); err != nil {
		t.Fatal(err)
	}
	v.Close()
	b := &crashVault{dir: filepath.Join(t.TempDir(), "laptop-b"), idFile: a.idFile, bin: bin}
	if _, err := vault.Restore(context.Background(), &backup, b.dir, vault.Unlock{IdentityFile: a.idFile}, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	b.env = append(os.Environ(), "CASEVAULT_DIR="+b.dir, "CASEVAULT_IDENTITY="+b.idFile, "CASEVAULT_AUTHOR=laptop-b", "NO_COLOR=1")

	creds := filepath.Join(t.TempDir(), "s3.txt")
	if err := os.WriteFile(creds, []byte(weedtest.AccessKey+"\n"+weedtest.SecretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cv := range []*crashVault{a, b} {
		if code, _, errs := cv.runEnv(t, nil, "remote", "add", "org", "s3://killed/team", "--endpoint", s.Endpoint, "--credentials", creds); code != 0 {
			t.Fatalf("remote add: exit %d: %s", code, errs)
		}
	}
	// The environment variables work too; the secret is never listed.
	if code, _, errs := a.runEnv(t, []string{"AWS_ACCESS_KEY_ID=" + weedtest.AccessKey, "AWS_SECRET_ACCESS_KEY=" + weedtest.SecretKey},
		"remote", "add", "second", "s3://other/x", "--endpoint", s.Endpoint); code != 0 {
		t.Fatalf("remote add from the environment: exit %d: %s", code, errs)
	}
	_, out, _ := a.runEnv(t, nil, "remote", "list", "--json")
	var listed []map[string]any
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("remote list --json: %v\n%s", err, out)
	}
	if strings.Contains(out, weedtest.SecretKey) {
		t.Fatal("remote list shows the secret")
	}
	if code, _, errs := a.runEnv(t, nil, "remote", "rm", "second"); code != 0 {
		t.Fatalf("remote rm: %d %s", code, errs)
	}
	// A's first sync (one remote left: no name needed), killed part-way
	// while it uploads the 48 MiB file, then completed.
	killSync(t, a, 700*time.Millisecond)
	if code, _, errs := a.runEnv(t, nil, "sync"); code != 0 {
		t.Fatalf("sync of A after a kill: exit %d: %s", code, errs)
	}
	// Kill syncs of B (download) and then of A after a change, at
	// increasing delays.
	vb, err := vault.Open(b.dir, vault.Unlock{IdentityFile: b.idFile}, vault.Options{Author: "laptop-b"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		doc := crashCase(t, fmt.Sprintf("Laptop B Person %d", i))
		if _, err := vb.AddCase(doc); err != nil {
			t.Fatal(err)
		}
	}
	vb.Close()
	killed := 0
	for _, d := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		if killSync(t, b, d) {
			killed++
		}
	}
	t.Logf("%d of 3 syncs of B killed part-way", killed)
	if code, _, errs := b.runEnv(t, nil, "sync", "org"); code != 0 {
		t.Fatalf("sync of B after the kills: exit %d: %s", code, errs)
	}
	if code, _, errs := a.runEnv(t, nil, "sync"); code != 0 {
		t.Fatalf("sync of A: exit %d: %s", code, errs)
	}
	for _, cv := range []*crashVault{a, b} {
		w := cv.open(t)
		got, err := w.CaseIDs()
		if err != nil || len(got) != 320 {
			t.Fatalf("%s: %d cases, want 320 (%v)", cv.dir, len(got), err)
		}
		rep, err := w.Check(context.Background(), vault.CheckOptions{})
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("check of %s: %v %+v", cv.dir, err, rep)
		}
		w.Close()
	}
	// B reads the 48 MiB evidence from the store through the binary.
	w := b.open(t)
	list, err := w.EvidenceList(ids[0])
	w.Close()
	if err != nil || len(list) != 1 {
		t.Fatalf("evidence of case on B: %v %v", list, err)
	}
	outFile := filepath.Join(t.TempDir(), "video.bin")
	if code, _, errs := b.runEnv(t, nil, "evidence", "get", list[0].ID, "-o", outFile); code != 0 {
		t.Fatalf("evidence get on B: %d %s", code, errs)
	}
	if got, _ := os.ReadFile(outFile); !bytes.Equal(got, big) {
		t.Fatal("evidence fetched on B differs")
	}
	// Planted objects: sync names one named for now and exits 8; the rest
	// still syncs. One named for 2009 sorts before where the listing
	// starts: only 'sync --full' lists (and names) it.
	c, _ := s.Client()
	junk := make([]byte, 3000)
	rand.Read(junk)
	fresh := fmt.Sprintf("%012x", time.Now().UnixMilli()) + "56789abcdef0123456789a"
	for _, n := range []string{"0123456789abcdef0123456789abcdef", fresh} {
		if _, err := c.PutObject(context.Background(), "killed", "team/"+n, bytes.NewReader(junk), int64(len(junk)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs := b.runEnv(t, nil, "sync")
	if code != exitDamaged || !strings.Contains(errs, fresh) || strings.Contains(errs, "0123456789abcdef0123456789abcdef") {
		t.Fatalf("sync with planted objects: exit %d: %s", code, errs)
	}
	code, _, errs = b.runEnv(t, nil, "sync", "--full")
	if code != exitDamaged || !strings.Contains(errs, fresh) || !strings.Contains(errs, "0123456789abcdef0123456789abcdef") {
		t.Fatalf("sync --full with planted objects: exit %d: %s", code, errs)
	}
}

func crashCase(t *testing.T, name string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(fmt.Sprintf("person:\n  name: %s\nstatus: pretrial\n", name)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// killSync starts 'casevault sync' and SIGKILLs it after d unless it ended
// before; reports whether it was killed.
func killSync(t *testing.T, cv *crashVault, d time.Duration) bool {
	t.Helper()
	cmd := exec.Command(cv.bin, "sync")
	cmd.Env = cv.env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return false
	case <-time.After(d):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true
	}
}
