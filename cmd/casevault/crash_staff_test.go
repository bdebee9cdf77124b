//go:build linux

package main

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
)

// TestStaffRmKilled kills the real `casevault staff rm` (a full rekey,
// its index work on every core) with SIGKILL at random moments. After
// every kill the vault opens and check passes, its cases are the same,
// the remaining member opens it once the owner has opened it (which
// writes a wrap a kill after the commit point left out), and running the
// same staff rm again completes the removal: the removed member then
// opens nothing.
func TestStaffRmKilled(t *testing.T) {
	bin := buildCasevault(t)
	rng := rand.New(rand.NewPCG(crashSeed(t), 18))
	cv := newCrashVault(t, bin)
	tmp := t.TempDir()
	member := func(name string) string {
		id, err := crypto.GenerateIdentity(true)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(tmp, name+".key")
		if err := os.WriteFile(f, []byte(id.String()+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		card, err := vault.StaffCard(id, name)
		if err != nil {
			t.Fatal(err)
		}
		v := cv.open(t)
		defer v.Close()
		if _, err := v.AddStaff(card, false); err != nil {
			t.Fatal(err)
		}
		return f
	}
	v := cv.open(t)
	for i := range 80 {
		c, err := schema.Parse(crashCaseFile(3000 + i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.AddCase(c); err != nil {
			t.Fatal(err)
		}
	}
	v.Close()
	stay := member("Stay")
	before := cv.verify(t)
	member("Probe")
	r := cv.runKill(t, -1, nil, "staff", "rm", "Probe", "--yes")
	if r.code != 0 {
		t.Fatalf("staff rm: %s", r.stderr)
	}
	typical := r.took
	kills, outcomes := 0, map[string]int{}
	deadline := time.Now().Add(90 * time.Second)
	for i := 0; kills < 6 && i < 15 && time.Now().Before(deadline); i++ {
		name := fmt.Sprintf("Gone %d", i)
		gone := member(name)
		r := cv.runKill(t, time.Duration(rng.Int64N(int64(typical)*11/10+1)), nil, "staff", "rm", name, "--yes")
		if !r.killed {
			typical = (typical + r.took) / 2
			if r.code != 0 {
				t.Fatalf("staff rm failed without a kill: %s", r.stderr)
			}
		} else {
			kills++
		}
		st := cv.verify(t)
		if !maps.Equal(st.heads, before.heads) {
			t.Fatalf("cases changed by an interrupted staff rm: %d cases, want %d", len(st.heads), len(before.heads))
		}
		if r := cv.runKill(t, -1, nil, "--identity", stay, "case", "list"); r.code != 0 {
			t.Fatalf("the remaining member cannot open the vault after a kill: %s", r.stderr)
		}
		if r.killed {
			// Run again: it completes, or finds the removal committed.
			r2 := cv.runKill(t, -1, nil, "staff", "rm", name, "--yes")
			switch r2.code {
			case 0:
				outcomes["completed by the rerun"]++
			case exitNotFound:
				outcomes["committed before the kill"]++
			default:
				t.Fatalf("staff rm again after a kill: exit %d: %s", r2.code, r2.stderr)
			}
			cv.verify(t)
		}
		if r := cv.runKill(t, -1, nil, "--identity", gone, "case", "list"); r.code != exitAuth {
			t.Fatalf("the removed member's identity: exit %d, want %d: %s", r.code, exitAuth, r.stderr)
		}
	}
	t.Logf("%d SIGKILLs landed in staff rm; outcomes %v", kills, outcomes)
	if kills == 0 {
		t.Fatal("no kill landed inside staff rm")
	}
}
