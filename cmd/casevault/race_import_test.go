//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/casevault/casevault/schema/casegen"
)

// raceCases writes n generated cases (seed) as JSON lines to a file, each
// case's summary holding marker (a word found in no other case).
func raceCases(t *testing.T, dir, name string, n int, seed uint64, marker string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := casegen.Write(&buf, "jsonl", n, seed); err != nil {
		t.Fatal(err)
	}
	return raceRewrite(t, dir, name, buf.Bytes(), marker)
}

// raceRewrite writes the JSON lines of src with marker put into each
// case's summary (an update of the same people when src was imported).
func raceRewrite(t *testing.T, dir, name string, src []byte, marker string) string {
	t.Helper()
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var doc map[string]any
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		pub, _ := doc["publication"].(map[string]any)
		if pub == nil {
			pub = map[string]any{}
			doc["publication"] = pub
		}
		pub["summary"] = fmt.Sprintf("%s: %v", marker, pub["summary"])
		b, _ := json.Marshal(doc)
		out.Write(b)
		out.WriteByte('\n')
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// raceRun runs the binary to its end (safe in any goroutine): stdout,
// stderr and exit code.
func (cv *crashVault) raceRun(args ...string) (string, string, int) {
	cmd := exec.Command(cv.bin, append([]string{"--wait", "2m"}, args...)...)
	cmd.Env = cv.env
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	_ = cmd.Run()
	return so.String(), se.String(), cmd.ProcessState.ExitCode()
}

// raceWant runs a command that must succeed (exit 6, records refused as
// conflicts, is a success for an import of generated cases).
func (cv *crashVault) raceWant(t *testing.T, args ...string) string {
	t.Helper()
	so, se, code := cv.raceRun(args...)
	if code != 0 && !(code == 6 && args[0] == "import") || strings.Contains(se, "goroutine ") {
		t.Fatalf("casevault %v: exit %d\n%s", args, code, se)
	}
	return so
}

type raceSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// raceState is what list, stats and search show; sorted is the list
// without IDs and times, comparable between vaults.
func (cv *crashVault) raceState(t *testing.T) (ids []string, total int, sorted string) {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal([]byte(cv.raceWant(t, "case", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range list {
		ids = append(ids, c["id"].(string))
		delete(c, "id")
		delete(c, "updated")
		b, _ := json.Marshal(c)
		lines = append(lines, string(b))
	}
	slices.Sort(lines)
	var st struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(cv.raceWant(t, "stats", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	return ids, st.Total, strings.Join(lines, "\n")
}

// TestRaceReadersBesideWriters runs searches, lists and stats in other
// processes while imports of several batches, an update and a rekey run:
// every reader either waits or sees the vault between two writing
// commands (never part of one), never fails, and never makes a writer
// fail. Then kill -9 of a many-batch import (updates and new cases) at
// several moments: after each kill, list, stats and search agree, check
// finds nothing, a reader racing a rekey reads (it must replay the killed
// writer's log: a rekey that got in meanwhile made it report damage), and
// the import run again ends where an uninterrupted one does.
func TestRaceReadersBesideWriters(t *testing.T) {
	bin := buildCasevault(t)
	tmp := t.TempDir()

	t.Run("readers", func(t *testing.T) {
		cv := newCrashVault(t, bin)
		files := []string{
			raceCases(t, tmp, "a.jsonl", 60, 31, "markeralpha"),
			raceCases(t, tmp, "b.jsonl", 60, 32, "markerbravo"),
			raceCases(t, tmp, "c.jsonl", 60, 33, "markercharlie"),
		}
		markers := []string{"markeralpha", "markerbravo", "markercharlie"}
		// Counts between writing commands, recorded by the writer.
		var mu sync.Mutex
		counts := map[int]bool{0: true}
		hits := map[string]map[int]bool{}
		for _, m := range markers {
			hits[m] = map[int]bool{0: true}
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		type seen struct {
			what string
			n    int
		}
		obs := make(chan seen, 10000)
		fail := make(chan string, 100)
		for r := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var args []string
					switch (i + r) % 3 {
					case 0:
						args = []string{"case", "list", "--json"}
					case 1:
						args = []string{"stats", "--json"}
					default:
						args = []string{"case", "search", markers[i%3], "--json"}
					}
					so, se, code := cv.raceRun(args...)
					if code != 0 || se != "" {
						fail <- fmt.Sprintf("%v beside a writer: exit %d: %s", args, code, se)
						return
					}
					switch args[0] {
					case "stats":
						var st struct {
							Total int `json:"total"`
						}
						if err := json.Unmarshal([]byte(so), &st); err != nil {
							fail <- fmt.Sprintf("stats --json: %v", err)
							return
						}
						obs <- seen{"total", st.Total}
					default:
						var l []raceSummary
						if err := json.Unmarshal([]byte(so), &l); err != nil {
							fail <- fmt.Sprintf("%v: %v", args, err)
							return
						}
						ids := map[string]bool{}
						for _, s := range l {
							if s.ID == "" || s.Name == "" || ids[s.ID] {
								fail <- fmt.Sprintf("%v: a hit without its summary or twice: %+v", args, s)
								return
							}
							ids[s.ID] = true
						}
						what := "total"
						if args[1] == "search" {
							what = args[2]
						}
						obs <- seen{what, len(l)}
					}
				}
			}()
		}
		record := func() {
			ids, total, _ := cv.raceState(t)
			if len(ids) != total {
				t.Errorf("list shows %d cases, stats counts %d", len(ids), total)
			}
			mu.Lock()
			counts[total] = true
			for _, m := range markers {
				var l []raceSummary
				_ = json.Unmarshal([]byte(cv.raceWant(t, "case", "search", m, "--json")), &l)
				hits[m][len(l)] = true
			}
			mu.Unlock()
		}
		for i, f := range files {
			cv.raceWant(t, "import", "-f", f)
			record()
			if i == 1 {
				// the same people again, each with a changed summary
				cv.raceWant(t, "import", "-f", raceRewrite(t, tmp, "a2.jsonl", mustRead(t, files[0]), "markeralpha updated"))
				record()
				cv.raceWant(t, "rekey")
				record()
			}
		}
		close(stop)
		wg.Wait()
		close(obs)
		close(fail)
		for f := range fail {
			t.Error(f)
		}
		n := 0
		for o := range obs {
			n++
			ok := counts[o.n]
			if o.what != "total" {
				ok = hits[o.what][o.n]
			}
			if !ok {
				t.Errorf("a reader saw %d (%s), which is no state between two writing commands (%v %v)", o.n, o.what, counts, hits)
			}
		}
		if n == 0 {
			t.Error("no reader finished beside the writers")
		}
		t.Logf("%d reads beside 5 writing commands", n)
	})

	t.Run("kill", func(t *testing.T) {
		cv := newCrashVault(t, bin)
		base := raceCases(t, tmp, "base.jsonl", 100, 41, "markerbase")
		cv.raceWant(t, "import", "-f", base)
		// Updates of every base case (small batches: each rewrites the
		// case's postings) and new cases: many transactions.
		upd := raceRewrite(t, tmp, "upd.jsonl", mustRead(t, base), "markerupdated")
		newer := raceCases(t, tmp, "new.jsonl", 400, 42, "markernew")
		all := filepath.Join(tmp, "all.jsonl")
		if err := os.WriteFile(all, append(mustRead(t, upd), mustRead(t, newer)...), 0o600); err != nil {
			t.Fatal(err)
		}
		ref := &crashVault{dir: filepath.Join(tmp, "ref"), idFile: cv.idFile, bin: bin}
		if err := os.CopyFS(ref.dir, os.DirFS(cv.dir)); err != nil {
			t.Fatal(err)
		}
		ref.env = append(slices.Clone(cv.env), "CASEVAULT_DIR="+ref.dir)
		ref.raceWant(t, "import", "-f", all)
		refIDs, refTotal, refList := ref.raceState(t)
		if len(refIDs) != refTotal {
			t.Fatalf("reference: list %d, stats %d", len(refIDs), refTotal)
		}
		_, baseTotal, _ := cv.raceState(t)

		kills := 0
		for i, extra := range []time.Duration{0, 40 * time.Millisecond, 100 * time.Millisecond} {
			// The first kill lands right after the first commit, the next
			// ones after the first commit of their own run (an earlier
			// run's batches are then unchanged and skipped).
			killed, after := cv.raceKillAfterCommit(t, extra, "import", "-f", all)
			if !killed {
				break
			}
			kills++
			if i == 0 {
				// A reader that must replay the killed import's log,
				// racing a rekey: it reads (before or after), never
				// reports damage.
				var wg sync.WaitGroup
				var code int
				var se string
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, se, code = cv.raceRun("case", "list", "--json")
				}()
				time.Sleep(20 * time.Millisecond)
				cv.raceWant(t, "rekey")
				wg.Wait()
				if code != 0 {
					t.Fatalf("list racing a rekey after a killed import: exit %d: %s", code, se)
				}
			}
			ids, total, _ := cv.raceState(t)
			if len(ids) != total || total < baseTotal {
				t.Fatalf("after kill %d: list shows %d cases, stats %d (base %d)", kills, len(ids), total, baseTotal)
			}
			var upHits, newHits []raceSummary
			_ = json.Unmarshal([]byte(cv.raceWant(t, "case", "search", "markerupdated", "--json")), &upHits)
			_ = json.Unmarshal([]byte(cv.raceWant(t, "case", "search", "markernew", "--json")), &newHits)
			if total != baseTotal+len(newHits) {
				t.Fatalf("after kill %d: %d cases, %d before and %d new ones found", kills, total, baseTotal, len(newHits))
			}
			cv.raceWant(t, "check") // exits non-zero on any problem
			t.Logf("kill %d after %v: %d updated, %d new", kills, after.Round(time.Millisecond), len(upHits), len(newHits))
		}
		if kills == 0 {
			t.Log("no kill landed before the import ended (fast machine)")
		}
		cv.raceWant(t, "import", "-f", all)
		ids, total, list := cv.raceState(t)
		if len(ids) != total || total != refTotal || list != refList {
			t.Fatalf("the import run again after %d kills ends with %d cases (stats %d), an uninterrupted one with %d; lists equal: %v", kills, len(ids), total, refTotal, list == refList)
		}
		cv.raceWant(t, "check")
	})
}

// raceKillAfterCommit runs the binary and kills it (SIGKILL) extra after
// its first commit: the second change of the store's memtable log (its
// creation at the open, then a synchronous commit). It reports whether the
// kill landed before the command ended, and when.
func (cv *crashVault) raceKillAfterCommit(t *testing.T, extra time.Duration, args ...string) (bool, time.Duration) {
	t.Helper()
	cmd := exec.Command(cv.bin, args...)
	cmd.Env = cv.env
	var se bytes.Buffer
	cmd.Stderr = &se
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	last := start.Add(-time.Millisecond) // a log an earlier run left is no change
	changes := 0
	for changes < 2 {
		select {
		case <-done:
			return false, time.Since(start)
		case <-time.After(5 * time.Millisecond):
		}
		mems, _ := filepath.Glob(filepath.Join(cv.dir, "db-*", "*.mem"))
		for _, m := range mems {
			if st, err := os.Stat(m); err == nil && st.ModTime().After(last) {
				last = st.ModTime()
				changes++
			}
		}
	}
	select {
	case <-done:
		return false, time.Since(start)
	case <-time.After(extra):
	}
	_ = cmd.Process.Kill()
	<-done
	if strings.Contains(se.String(), "goroutine ") {
		t.Fatalf("casevault %v: %s", args, se.String())
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ws.Signaled(), time.Since(start)
}

func mustRead(t *testing.T, f string) []byte {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
