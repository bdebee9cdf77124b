//go:build linux

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
)

// TestEvidenceGetTerminated sends SIGTERM and SIGHUP (a closed terminal) to
// the real binary while 'evidence get -o FILE' writes the plaintext, and
// requires that neither FILE nor the partial temporary file beside it is
// left behind.
func TestEvidenceGetTerminated(t *testing.T) {
	bin := buildCasevault(t)
	cv := newCrashVault(t, bin)
	v := cv.open(t)
	doc, _ := schema.Parse([]byte("schema: case.v1\nperson:\n  name: Signal Test\n"))
	c, err := v.AddCase(doc)
	if err != nil {
		t.Fatal(err)
	}
	m, err := v.AddEvidence(context.Background(), c, io.LimitReader(rand.Reader, 128<<20), vault.EvidenceInput{Name: "big.bin"})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		outDir := t.TempDir()
		out := filepath.Join(outDir, "big.bin")
		cmd := exec.Command(bin, "evidence", "get", m.ID, "-o", out)
		cmd.Env = cv.env
		var se bytes.Buffer
		cmd.Stderr = &se
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		signalled := false
	poll:
		for {
			select {
			case <-done:
				break poll
			case <-time.After(2 * time.Millisecond):
			}
			tmps, _ := filepath.Glob(filepath.Join(outDir, ".big.bin.tmp-*"))
			if len(tmps) == 1 {
				if st, err := os.Stat(tmps[0]); err == nil && st.Size() > 8<<20 {
					cmd.Process.Signal(sig)
					signalled = true
					<-done
					break poll
				}
			}
		}
		if !signalled {
			t.Logf("%v: the get finished before the signal (exit %d)", sig, cmd.ProcessState.ExitCode())
			continue
		}
		ents, _ := os.ReadDir(outDir)
		if len(ents) != 0 {
			t.Errorf("%v during evidence get left %d file(s) of plaintext: %s (exit %d: %s)", sig, len(ents), ents[0].Name(), cmd.ProcessState.ExitCode(), se.String())
		}
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Errorf("%v: exit %d, want %d (%s)", sig, code, exitInterrupted, se.String())
		}
	}
}
