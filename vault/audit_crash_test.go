package vault

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

const crashDirEnv = "CASEVAULT_TEST_AUDIT_CRASH_DIR"

// TestAuditCrashHelper is not a test: run by TestAuditCrashKilled in a
// child process, it adds, updates and removes cases in a loop, printing a
// line after each committed change, until it is killed.
func TestAuditCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestAuditCrashKilled")
	}
	v, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte(audPass), nil }}, Options{Author: "crash"})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		fmt.Println("ids:", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		switch {
		case i%5 == 4 && len(ids) > 0:
			_, err = v.UpdateCase(ids[i%len(ids)], audCase(t, fmt.Sprintf("Updated %d", i)))
		case i%7 == 6 && len(ids) > 0:
			err = v.RemoveCase(ids[0])
			ids = ids[1:]
		default:
			var id CaseID
			id, err = v.AddCase(audCase(t, fmt.Sprintf("Crash %d", i)))
			ids = append(ids, id)
		}
		if err != nil {
			fmt.Println("change:", err)
			os.Exit(3)
		}
		fmt.Println("committed", i)
	}
}

// TestAuditCrashKilled kills a process that is changing the vault at random
// moments (SIGKILL, ten times) and requires after each kill that the chain
// verifies, that the cases present are exactly those the log says were
// added and not removed, and that each case has one revision per case.add
// and case.update entry, the newest matching the last entry's hash: no
// change without its entry, no entry without its change.
func TestAuditCrashKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir, v := audVault(t, "Crash Group")
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 6))
	total, entries := 0, 1
	for kill := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAuditCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let it commit a random number of changes, then kill it a random
		// moment later, most likely in the middle of the next one.
		want := 1 + rng.IntN(25)
		sc := bufio.NewScanner(out)
		got := 0
		for got < want && sc.Scan() {
			if line := sc.Text(); len(line) < 10 || line[:10] != "committed " {
				t.Fatalf("helper: %s", line)
			}
			got++
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		_ = cmd.Process.Kill() // SIGKILL
		_ = cmd.Wait()
		if got < want {
			t.Fatalf("kill %d: helper stopped after %d changes", kill, got)
		}
		total += got

		v := audReopen(t, &Vault{}, dir)
		n := audCheckCrashInvariant(t, v)
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		// Synchronous writes: every change the helper printed survived.
		if n < entries+got {
			t.Fatalf("kill %d: %d entries, but %d before and %d changes acknowledged since", kill, n, entries, got)
		}
		entries = n
		t.Logf("kill %d after %d acknowledged changes: %d entries verify", kill, got, n)
	}
	if total == 0 {
		t.Fatal("no change was made")
	}
}

// audCheckCrashInvariant verifies the chain and compares the cases in the
// store with the case entries of the log. It returns the number of entries.
func audCheckCrashInvariant(t *testing.T, v *Vault) int {
	t.Helper()
	n, err := v.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit after kill: %v", err)
	}
	live := map[string]int{}        // case -> revisions the log accounts for
	lastHash := map[string]string{} // case -> content hash of its newest revision
	err = v.AuditEntries(func(e AuditEntry) error {
		switch e.Op {
		case "case.add", "case.update":
			live[e.Targets[0]]++
			lastHash[e.Targets[0]] = e.ContentSHA256
		case "case.rm":
			delete(live, e.Targets[0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	var inStore, inLog []string
	for _, id := range ids {
		inStore = append(inStore, id.String())
	}
	for id := range live {
		inLog = append(inLog, id)
	}
	slices.Sort(inLog)
	slices.Sort(inStore)
	if !slices.Equal(inStore, inLog) {
		t.Fatalf("cases in the store %v differ from those the log added and did not remove %v", inStore, inLog)
	}
	for _, id := range ids {
		revs, err := v.History(id)
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		if len(revs) != live[id.String()] || revs[len(revs)-1].SHA256 != lastHash[id.String()] {
			t.Fatalf("case %s: %d revisions, newest %s; the log has %d, newest %s", id, len(revs), revs[len(revs)-1].SHA256, live[id.String()], lastHash[id.String()])
		}
	}
	return n
}

// A table file that a killed process was still writing is not named in the
// MANIFEST; the vault must open (Badger deletes it), not report damage.
func TestOpenIgnoresUnfinishedTable(t *testing.T) {
	dir, v := audVault(t, "Crash Group")
	audAdd(t, v, 3)
	db := filepath.Join(dir, v.dbName)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(db, "999999.sst")
	if err := os.WriteFile(partial, []byte("half a table"), 0o600); err != nil {
		t.Fatal(err)
	}
	v = audReopen(t, &Vault{}, dir)
	if n, err := v.VerifyAudit(context.Background()); err != nil || n != 4 {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
	if _, err := os.Stat(partial); !os.IsNotExist(err) {
		t.Fatalf("unfinished table left in place: %v", err)
	}
}
