//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/weedtest"
)

// TestSyncCompactKilledThenCompletes SIGKILLs the real binary's 'sync
// --compact' at increasing moments; each time the vault opens and checks
// clean, and the next compaction completes: nothing left to repack, and a
// copy made before anything was synced receives exactly the live cases.
func TestSyncCompactKilledThenCompletes(t *testing.T) {
	s := syncWeed(t)
	bin := buildCasevault(t)
	a := newCrashVault(t, bin)
	v := a.open(t)
	var backup bytes.Buffer
	if _, err := v.Backup(context.Background(), &backup, nil); err != nil {
		t.Fatal(err)
	}
	v.Close()
	creds := filepath.Join(t.TempDir(), "s3.txt")
	if err := os.WriteFile(creds, []byte(weedtest.AccessKey+"\n"+weedtest.SecretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := a.runEnv(t, nil, "remote", "add", "org", "s3://compactkill/team", "--endpoint", s.Endpoint, "--credentials", creds); code != 0 {
		t.Fatalf("remote add: exit %d: %s", code, errs)
	}
	// Four packs of 100 cases; one case of each removed afterwards.
	var removed []vault.CaseID
	for p := 0; p < 4; p++ {
		v := a.open(t)
		for i := 0; i < 100; i++ {
			id, err := v.AddCase(crashCase(t, fmt.Sprintf("Pack %d Person %d", p, i)))
			if err != nil {
				t.Fatal(err)
			}
			if i == 50 {
				removed = append(removed, id)
			}
		}
		v.Close()
		if code, _, errs := a.runEnv(t, nil, "sync"); code != 0 {
			t.Fatalf("sync: exit %d: %s", code, errs)
		}
	}
	v = a.open(t)
	for _, id := range removed {
		if err := v.RemoveCase(id); err != nil {
			t.Fatal(err)
		}
	}
	v.Close()
	if code, _, errs := a.runEnv(t, nil, "sync"); code != 0 {
		t.Fatalf("sync after rm: exit %d: %s", code, errs)
	}
	killed := 0
	for _, d := range []time.Duration{200 * time.Millisecond, 500 * time.Millisecond, 900 * time.Millisecond, 1500 * time.Millisecond} {
		cmd := exec.Command(bin, "sync", "--compact")
		cmd.Env = a.env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(d):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}
		w := a.open(t)
		rep, err := w.Check(context.Background(), vault.CheckOptions{})
		if err != nil || len(rep.Problems) > 0 {
			t.Fatalf("check after a killed compaction: %v %+v", err, rep)
		}
		w.Close()
	}
	t.Logf("%d of 4 compactions killed part-way", killed)
	t0 := time.Now()
	code, out, errs := a.runEnv(t, nil, "sync", "--compact", "--json")
	if code != 0 {
		t.Fatalf("compaction after the kills: exit %d: %s", code, errs)
	}
	var first vault.CompactReport
	if err := json.Unmarshal([]byte(out), &first); err != nil {
		t.Fatal(err)
	}
	// A figure, not a pass/fail condition.
	t.Logf("completing compaction: %v wall; packs read %d (%d bytes), written %d (%d bytes), deleted %d (%d bytes), earlier replaced %d, records kept %d, left out %d",
		time.Since(t0).Round(time.Millisecond), first.PacksRead, first.BytesRead, first.PacksWritten, first.BytesWritten, first.PacksDeleted, first.BytesDeleted, first.ReplacedEarly, first.RecordsKept, first.RecordsLeft)
	code, out, errs = a.runEnv(t, nil, "sync", "--compact", "--json")
	var rep vault.CompactReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.PacksRead != 0 || rep.PacksDeleted != 0 {
		t.Fatalf("a compaction after the completed one has work: exit %d: %s %s", code, out, errs)
	}
	// A copy restored from before the first sync: the live cases only.
	b := &crashVault{dir: filepath.Join(t.TempDir(), "laptop-b"), idFile: a.idFile, bin: bin}
	if _, err := vault.Restore(context.Background(), &backup, b.dir, vault.Unlock{IdentityFile: a.idFile}, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	b.env = append(os.Environ(), "CASEVAULT_DIR="+b.dir, "CASEVAULT_IDENTITY="+b.idFile, "CASEVAULT_AUTHOR=laptop-b", "NO_COLOR=1")
	if code, _, errs := b.runEnv(t, nil, "remote", "add", "org", "s3://compactkill/team", "--endpoint", s.Endpoint, "--credentials", creds); code != 0 {
		t.Fatalf("remote add on B: exit %d: %s", code, errs)
	}
	if code, _, errs := b.runEnv(t, nil, "sync"); code != 0 {
		t.Fatalf("sync of B: exit %d: %s", code, errs)
	}
	w := b.open(t)
	defer w.Close()
	ids, err := w.CaseIDs()
	if err != nil || len(ids) != 396 {
		t.Fatalf("B has %d cases, want 396 (%v)", len(ids), err)
	}
	for _, id := range removed {
		if _, err := w.Case(id); err == nil {
			t.Fatalf("removed case %s reached B", id)
		}
	}
	if rep, err := w.Check(context.Background(), vault.CheckOptions{}); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check of B: %v %+v", err, rep)
	}
}
