//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
)

// buildCasevault builds the real binary into a temporary directory: crash
// and bad-input tests run it as a separate process, so that a SIGKILL or a
// panic in it cannot take the test down.
func buildCasevault(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "casevault")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crashVault is a vault made in-process that the binary unlocks with an
// identity file (a released binary's scrypt would cost a second per run).
type crashVault struct {
	dir, idFile string
	bin         string
	env         []string
}

func newCrashVault(t *testing.T, bin string) *crashVault {
	t.Helper()
	id, err := crypto.GenerateIdentity(true)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cv := &crashVault{dir: filepath.Join(tmp, "vault"), idFile: filepath.Join(tmp, "identity.txt"), bin: bin}
	if err := os.WriteFile(cv.idFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := vault.Init(cv.dir, vault.InitOptions{Org: "Crash Test Group", Identity: []byte(id.String()), Passphrase: []byte("unused passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	cv.env = append(os.Environ(), "CASEVAULT_DIR="+cv.dir, "CASEVAULT_IDENTITY="+cv.idFile, "CASEVAULT_AUTHOR=crash", "NO_COLOR=1")
	return cv
}

func (cv *crashVault) open(t *testing.T) *vault.Vault {
	t.Helper()
	v, err := vault.Open(cv.dir, vault.Unlock{IdentityFile: cv.idFile}, vault.Options{Author: "crash"})
	if err != nil {
		t.Fatalf("vault does not open after the kill: %v", err)
	}
	return v
}

// runResult is how one run of the binary ended.
type runResult struct {
	killed bool // SIGKILL arrived while it ran
	code   int
	stdout string
	stderr string
	took   time.Duration
}

// runKill runs the binary and sends SIGKILL after delay unless it has
// exited by then (delay < 0: never).
func (cv *crashVault) runKill(t *testing.T, delay time.Duration, stdin []byte, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(cv.bin, args...)
	cmd.Env = cv.env
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timer <-chan time.Time
	if delay >= 0 {
		timer = time.After(delay)
	}
	select {
	case <-done:
	case <-timer:
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
	r := runResult{stdout: so.String(), stderr: se.String(), took: time.Since(start)}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	r.killed = ws.Signaled() && ws.Signal() == syscall.SIGKILL
	r.code = cmd.ProcessState.ExitCode()
	if !r.killed && (strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ")) {
		t.Fatalf("casevault %v panicked:\n%s", args, r.stderr)
	}
	return r
}

// state is what a reader sees of the vault: each case's current revision
// hash, and the audit log.
type state struct {
	heads    map[string]string // case ID -> SHA-256 of the current revision
	evidence map[string]bool   // evidence IDs
	audit    int
	store    string
	orphans  int // orphan evidence files check found (and repaired)
}

// verify opens the vault after a kill and checks it: it opens, every case
// opens in full (every revision), list shows exactly the cases, and check
// passes (which verifies the audit chain, every record, the heads against
// the audit log, evidence files and indexes). The only problem check may
// report is an orphan (an evidence file written before the kill but never
// registered), which check --repair must then remove.
func (cv *crashVault) verify(t *testing.T) state {
	t.Helper()
	v := cv.open(t)
	defer v.Close()
	st := state{heads: map[string]string{}, evidence: map[string]bool{}}
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		h, err := v.History(id)
		if err != nil {
			t.Fatalf("case %s after the kill: %v", id, err)
		}
		st.heads[id.String()] = h[len(h)-1].SHA256
		evs, err := v.EvidenceList(id)
		if err != nil {
			t.Fatalf("evidence of case %s after the kill: %v", id, err)
		}
		for _, e := range evs {
			st.evidence[e.ID] = true
		}
	}
	list, err := v.ListCases(vault.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(ids) {
		t.Fatalf("list shows %d cases, the store has %d (half-written case)", len(list), len(ids))
	}
	for _, s := range list {
		if _, ok := st.heads[s.ID]; !ok {
			t.Fatalf("list shows case %s that does not open", s.ID)
		}
	}
	rep, err := v.Check(context.Background(), vault.CheckOptions{})
	if err != nil {
		t.Fatalf("check after the kill: %v", err)
	}
	for _, p := range rep.Problems {
		if p.Kind != vault.ProblemOrphan {
			t.Fatalf("check after the kill: %s", p)
		}
		st.orphans++
	}
	if st.orphans > 0 {
		rep, err := v.Check(context.Background(), vault.CheckOptions{Repair: true})
		if err != nil || rep.Unrepaired() != 0 {
			t.Fatalf("check --repair after the kill: %v %v", err, rep.Problems)
		}
	}
	st.audit = rep.AuditEntries
	dirs, _ := filepath.Glob(filepath.Join(cv.dir, "db-*"))
	if len(dirs) != 1 {
		t.Fatalf("store directories after open: %v", dirs)
	}
	st.store = filepath.Base(dirs[0])
	return st
}

func crashCaseFile(i int) []byte {
	return []byte(fmt.Sprintf("schema: case.v1\nperson:\n  name: Crash Person %d\n  name_native: Пострадавший %d\n  region: Omsk\nstatus: pretrial\nnotes: %s\n", i, i, strings.Repeat("заметки ", 50)))
}

// crashSeed returns the seed of the random kill moments: fixed, or
// $CASEVAULT_CRASH_SEED to explore others.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("CASEVAULT_CRASH_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	return 20261126
}

// TestCrashKill kills the real binary with SIGKILL at random moments of
// case additions, bulk imports, evidence adds, bundle imports, rekeys and
// purges, and after every kill requires the
// vault to open, every acknowledged write to be there, nothing
// half-written to be visible and the audit chain to verify.
func TestCrashKill(t *testing.T) {
	bin := buildCasevault(t)
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	start := time.Now()
	deadline := start.Add(55 * time.Second)
	cv := newCrashVault(t, bin)
	kills := map[string]int{}
	runs := map[string]int{}
	outcomes := map[string]int{}
	// randDelay picks a kill moment in [0, 1.1*typical]; adapt moves
	// typical towards the duration of a run that finished before its kill,
	// so that most kills land inside the command.
	randDelay := func(typical time.Duration) time.Duration {
		return time.Duration(rng.Int64N(int64(typical)*11/10 + 1))
	}
	adapt := func(typical *time.Duration, r runResult) {
		if !r.killed {
			*typical = (*typical + r.took) / 2
		}
	}

	// Case additions: the acknowledged ones (exit 0, ID printed) must all
	// survive every later kill.
	acked := map[string]bool{}
	typical := time.Duration(0)
	for i := range 3 {
		r := cv.runKill(t, -1, crashCaseFile(1000+i), "case", "add", "-f", "-")
		if r.code != 0 {
			t.Fatalf("case add: %s", r.stderr)
		}
		acked[strings.TrimSpace(r.stdout)] = true
		typical = max(typical, r.took)
	}
	for i := 0; kills["case add"] < 6 && i < 60 && time.Now().Before(deadline); i++ {
		r := cv.runKill(t, randDelay(typical), crashCaseFile(i), "case", "add", "-f", "-")
		adapt(&typical, r)
		runs["case add"]++
		if r.killed {
			kills["case add"]++
		} else if r.code == 0 {
			acked[strings.TrimSpace(r.stdout)] = true
		} else {
			t.Fatalf("case add failed without a kill: %s", r.stderr)
		}
		st := cv.verify(t)
		for id := range acked {
			if _, ok := st.heads[id]; !ok {
				t.Fatalf("acknowledged case %s lost after a kill", id)
			}
		}
	}

	// Bulk imports of 60 cases (YAML documents): each batch is one
	// transaction, so a kill leaves some whole batches in; every case that
	// is in must open, and a finished import must have added all of them.
	// Each run imports other people: the same file again would add no
	// duplicates (the import finds the cases it added before).
	importDir := t.TempDir()
	importRun := 0
	nextImport := func() string {
		importRun++
		var docs [][]byte
		for i := range 60 {
			docs = append(docs, crashCaseFile(5000+100*importRun+i))
		}
		f := filepath.Join(importDir, fmt.Sprintf("cases-%d.yaml", importRun))
		if err := os.WriteFile(f, bytes.Join(docs, []byte("---\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	importFile := nextImport()
	before := cv.verify(t)
	r0 := cv.runKill(t, -1, nil, "import", "-f", importFile)
	if r0.code != 0 {
		t.Fatalf("import: %s", r0.stderr)
	}
	typical = r0.took
	st := cv.verify(t)
	if len(st.heads) != len(before.heads)+60 {
		t.Fatalf("import added %d cases, want 60", len(st.heads)-len(before.heads))
	}
	for i := 0; kills["import"] < 6 && i < 20 && time.Now().Before(deadline); i++ {
		before = st
		file := nextImport()
		r := cv.runKill(t, randDelay(typical), nil, "import", "-f", file)
		adapt(&typical, r)
		runs["import"]++
		if r.killed {
			kills["import"]++
		} else if r.code != 0 {
			t.Fatalf("import failed without a kill: %s", r.stderr)
		}
		st = cv.verify(t)
		added := len(st.heads) - len(before.heads)
		if added < 0 || added > 60 || (!r.killed && added != 60) {
			t.Fatalf("import (killed %v) added %d of 60 cases", r.killed, added)
		}
		if r.killed && added > 0 && added < 60 {
			outcomes["import: some batches in"]++
		}
		for id := range before.heads {
			if _, ok := st.heads[id]; !ok {
				t.Fatalf("case %s lost in an interrupted import", id)
			}
		}
		if r.killed && runs["import rerun"] < 2 {
			// The same file again completes the import: the cases the
			// killed run put in are found, the rest added, none twice
			// (twice: the kills of the later commands need the time).
			runs["import rerun"]++
			if r2 := cv.runKill(t, -1, nil, "import", "-f", file); r2.code != 0 {
				t.Fatalf("import rerun after a kill: %s", r2.stderr)
			}
			st = cv.verify(t)
			if added := len(st.heads) - len(before.heads); added != 60 {
				t.Fatalf("import killed then run again: %d cases added in all, want 60", added)
			}
		}
	}

	// Evidence adds of a 6 MiB file: an acknowledged item (ID printed,
	// exit 0) survives; a killed add leaves nothing visible, at most an
	// orphan file that check --repair removes.
	var target string
	for id := range acked {
		target = id
		break
	}
	evFile := filepath.Join(t.TempDir(), "evidence.bin")
	evData := make([]byte, 6<<20)
	for i := range evData {
		evData[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(evFile, evData, 0o600); err != nil {
		t.Fatal(err)
	}
	ackedEv := map[string]bool{}
	r0 = cv.runKill(t, -1, nil, "evidence", "add", target, evFile)
	if r0.code != 0 {
		t.Fatalf("evidence add: %s", r0.stderr)
	}
	typical = r0.took
	ackedEv[strings.Fields(r0.stdout)[0]] = true
	orphans := 0
	for i := 0; kills["evidence add"] < 6 && i < 30 && time.Now().Before(deadline); i++ {
		r := cv.runKill(t, randDelay(typical), nil, "evidence", "add", target, evFile)
		adapt(&typical, r)
		runs["evidence add"]++
		if r.killed {
			kills["evidence add"]++
		} else if r.code == 0 {
			ackedEv[strings.Fields(r.stdout)[0]] = true
		} else {
			t.Fatalf("evidence add failed without a kill: %s", r.stderr)
		}
		st := cv.verify(t)
		orphans += st.orphans
		for id := range ackedEv {
			if !st.evidence[id] {
				t.Fatalf("acknowledged evidence %s lost after a kill", id)
			}
		}
		// An add killed after its commit but before printing is there:
		// it must be complete, and from now on it must stay.
		for id := range st.evidence {
			if !ackedEv[id] {
				cv.verifyEvidence(t, id)
				ackedEv[id] = true
				outcomes["evidence: committed, not acknowledged"]++
			}
		}
	}

	// Bundle imports from a partner: 15 cases a bundle, all or none.
	bundles := cv.partnerBundles(t, 20, 15)
	before = cv.verify(t)
	r0 = cv.runKill(t, -1, nil, "bundle", "import", bundles[0])
	if r0.code != 0 {
		t.Fatalf("bundle import: %s", r0.stderr)
	}
	typical = r0.took
	st = cv.verify(t)
	if len(st.heads) != len(before.heads)+15 {
		t.Fatalf("bundle import added %d cases, want 15", len(st.heads)-len(before.heads))
	}
	for i := 1; kills["bundle import"] < 6 && i < len(bundles) && time.Now().Before(deadline); i++ {
		before = st
		r := cv.runKill(t, randDelay(typical), nil, "bundle", "import", bundles[i])
		adapt(&typical, r)
		runs["bundle import"]++
		if r.killed {
			kills["bundle import"]++
		} else if r.code != 0 {
			t.Fatalf("bundle import failed without a kill: %s", r.stderr)
		}
		st = cv.verify(t)
		switch added := len(st.heads) - len(before.heads); {
		case added == 15:
			outcomes["bundle: imported"]++
		case added == 0 && r.killed:
			outcomes["bundle: not imported"]++
		default:
			t.Fatalf("bundle import (killed %v) added %d cases, want 0 or 15", r.killed, added)
		}
		for id := range before.heads {
			if _, ok := st.heads[id]; !ok {
				t.Fatalf("case %s lost in an interrupted bundle import", id)
			}
		}
		for id := range st.heads {
			acked[id] = true
		}
	}

	// Rekey of a vault with a few hundred cases: after a kill the vault is
	// the old one or the new one, with the same cases.
	v := cv.open(t)
	for i := range 100 {
		c, err := schema.Parse(crashCaseFile(2000 + i))
		if err != nil {
			t.Fatal(err)
		}
		id, err := v.AddCase(c)
		if err != nil {
			t.Fatal(err)
		}
		acked[id.String()] = true
	}
	v.Close()
	before = cv.verify(t)
	r := cv.runKill(t, -1, nil, "rekey")
	if r.code != 0 {
		t.Fatalf("rekey: %s", r.stderr)
	}
	typical = r.took
	auditAfterRekey := before.audit + 1
	before = cv.verify(t)
	if before.audit != auditAfterRekey {
		t.Fatalf("audit entries after rekey %d, want %d", before.audit, auditAfterRekey)
	}
	for i := 0; kills["rekey"] < 7 && i < 40 && time.Now().Before(deadline); i++ {
		r := cv.runKill(t, randDelay(typical), nil, "rekey")
		adapt(&typical, r)
		runs["rekey"]++
		if r.killed {
			kills["rekey"]++
		} else if r.code != 0 {
			t.Fatalf("rekey failed without a kill: %s", r.stderr)
		}
		st := cv.verify(t)
		if !maps.Equal(st.heads, before.heads) {
			t.Fatalf("cases changed by an interrupted rekey: %d cases, want %d", len(st.heads), len(before.heads))
		}
		switch {
		case st.store == before.store && st.audit == before.audit:
			outcomes["old vault"]++
			if !r.killed {
				t.Fatal("a finished rekey left the old store")
			}
		case st.store != before.store && st.audit == before.audit+1:
			outcomes["new vault"]++
		default:
			t.Fatalf("after rekey: store %s (was %s), %d audit entries (was %d)", st.store, before.store, st.audit, before.audit)
		}
		before = st
	}

	// Purge: the case is there (old vault) or gone (new vault); every
	// other case is intact.
	ids := make([]string, 0, len(before.heads))
	for id := range before.heads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for i := 0; kills["purge"] < 4 && i < 20 && time.Now().Before(deadline); i++ {
		target := ids[i]
		r := cv.runKill(t, randDelay(typical), nil, "case", "purge", "--yes", target)
		adapt(&typical, r)
		runs["purge"]++
		if r.killed {
			kills["purge"]++
		} else if r.code != 0 {
			t.Fatalf("purge failed without a kill: %s", r.stderr)
		}
		st := cv.verify(t)
		_, still := st.heads[target]
		if !r.killed && still {
			t.Fatalf("purged case %s still there", target)
		}
		if still {
			outcomes["purge: old vault"]++
		} else {
			outcomes["purge: new vault"]++
			delete(before.heads, target)
		}
		if !maps.Equal(st.heads, before.heads) {
			t.Fatalf("an interrupted purge changed other cases")
		}
	}

	total := 0
	for _, n := range kills {
		total += n
	}
	t.Logf("seed %d: %d SIGKILLs landed (%v) in %v runs; outcomes %v; %d orphan evidence files repaired; every kill survived (%v)",
		seed, total, kills, runs, outcomes, orphans, time.Since(start).Round(time.Second))
	switch {
	case total >= 30:
	case time.Now().After(deadline) && total >= 15:
		// A machine so loaded that the time bound cut the run short: what
		// ran is still checked, but say so rather than fail flakily.
		t.Logf("time bound reached after %d kills (at least 30 are wanted; the machine is overloaded)", total)
	default:
		t.Fatalf("only %d kills landed inside a running command, want at least 30", total)
	}
}

// partnerBundles makes a partner organisation that knows the crash vault
// (and is known by it) and exports n bundles of per cases each to it.
func (cv *crashVault) partnerBundles(t *testing.T, n, per int) []string {
	t.Helper()
	tmp := t.TempDir()
	p, err := vault.Init(filepath.Join(tmp, "partner"), vault.InitOptions{Org: "Partner Rights", Classic: true, Passphrase: []byte("partner pass"), Options: vault.Options{Author: "partner"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a := cv.open(t)
	introduce := func(to, from *vault.Vault) {
		data, err := from.Card()
		if err != nil {
			t.Fatal(err)
		}
		card, err := vault.ParseCard(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := to.AddOrg(card); err != nil {
			t.Fatal(err)
		}
	}
	introduce(a, p)
	introduce(p, a)
	to := a.Meta().Org
	a.Close()
	var out []string
	for b := range n {
		var ids []vault.CaseID
		for i := range per {
			c, err := schema.Parse(crashCaseFile(10000 + b*per + i))
			if err != nil {
				t.Fatal(err)
			}
			id, err := p.AddCase(c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.ShareCase(id, to, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		file := filepath.Join(tmp, fmt.Sprintf("bundle-%d.age", b))
		if _, err := p.ExportBundle(context.Background(), vault.ExportBundleOptions{To: to, Cases: ids, Out: file}); err != nil {
			t.Fatal(err)
		}
		out = append(out, file)
	}
	return out
}

// verifyEvidence re-reads and re-hashes one evidence item.
func (cv *crashVault) verifyEvidence(t *testing.T, id string) {
	t.Helper()
	e, err := vault.ParseEvidenceID(id)
	if err != nil {
		t.Fatal(err)
	}
	v := cv.open(t)
	defer v.Close()
	if err := v.VerifyEvidence(context.Background(), e); err != nil {
		t.Fatalf("evidence %s visible after a kill but not intact: %v", id, err)
	}
}
