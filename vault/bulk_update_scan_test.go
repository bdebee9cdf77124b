package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import that updates a case removes it from its old tokens' posting
// groups by reading only the groups of the case tables that list it
// (index_groupscan.go): the posting group records it reads do not grow
// with the batches the vault was imported in. Before, it stepped through
// every group of every old token, one for each batch that wrote the token,
// so the time per case of a large import grew with the vault. The update
// must still be exact: the old words gone from search, the new found,
// check clean.
func TestImportUpdateReadsDoNotGrowWithBatches(t *testing.T) {
	rec := func(name, occ string) string {
		return `{"person":{"name":"` + name + `","birth_date":"1980-01-02","region":"Omsk","occupation":"` + occ +
			`"},"status":"pretrial","notes":"Visits refused; letters withheld"}`
	}
	reads := func(batches int) int {
		v := newTestVault(t)
		dir := t.TempDir()
		lines := []string{rec("Updated Person", "Beekeeperx")}
		for i := range batches * 4 {
			lines = append(lines, rec(fmt.Sprintf("Other Person%c%c", 'a'+i/26, 'a'+i%26), "Beekeeperx"))
		}
		first := filepath.Join(dir, "first.jsonl")
		if err := os.WriteFile(first, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		// about four cases a batch: every batch writes a group of the
		// words all cases share
		rep, err := v.Import(context.Background(), first, ImportOptions{Format: FormatJSONL, BatchBytes: 4 * estimateOf(t, rec("Other Personaa", "Beekeeperx"))})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Batches < batches {
			t.Fatalf("%d batches, want at least %d", rep.Batches, batches)
		}
		second := filepath.Join(dir, "second.jsonl")
		if err := os.WriteFile(second, []byte(rec("Updated Person", "Glassblowerx")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		visited := 0
		groupScanDone = func(n int) { visited += n }
		defer func() { groupScanDone = nil }()
		rep, err = v.Import(context.Background(), second, ImportOptions{Format: FormatJSONL})
		if err != nil || rep.Updated != 1 {
			t.Fatalf("second import: %v, %d updated, want 1", err, rep.Updated)
		}
		if visited == 0 {
			t.Fatal("the update removed no posting from a group")
		}
		for q, want := range map[string]int{"glassblowerx": 1, "beekeeperx": batches * 4, "updated beekeeperx": 0, "updated glassblowerx": 1} {
			if ids, _ := searchIDs(t, v, q, SearchOptions{}); len(ids) != want {
				t.Errorf("%d batches: search %q: %d hits, want %d", batches, q, len(ids), want)
			}
		}
		if r, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(r.Problems) != 0 {
			t.Fatalf("check: %v %+v", err, r.Problems)
		}
		return visited
	}
	few, many := reads(2), reads(30)
	t.Logf("posting group records read by the update: %d after 2 batches, %d after 30", few, many)
	if few == 0 || many > few {
		t.Fatalf("an update read %d posting group records in a vault imported in 2 batches and %d in one of 30: it must not grow with the batches", few, many)
	}
}

// estimateOf is estimateCaseSize of a JSON line.
func estimateOf(t *testing.T, line string) int {
	t.Helper()
	p := filepath.Join(t.TempDir(), "one.jsonl")
	if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := CheckImportFile(p, ImportOptions{Format: FormatJSONL})
	if err != nil || rep.Valid != 1 {
		t.Fatalf("check: %v", err)
	}
	return 1500 + len(line)/6*16 + len(line)
}
