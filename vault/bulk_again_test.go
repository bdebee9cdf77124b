package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/index"
)

// A file that names one person twice updates the first record's case with
// the second: the words only the first record had are no longer found
// (neither by search nor in the prefix vocabulary), the second record's
// are, and check finds the index clean. The first record's postings are
// written as keys of their own (bulk.Sums.Again) rather than in the
// batch's groups; the repeat comes in the same batch or a later one.
func TestImportRepeatedRecord(t *testing.T) {
	for _, batch := range []int{1 << 20, 2 << 10} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			v := newTestVault(t)
			path := filepath.Join(t.TempDir(), "c.jsonl")
			var lines []string
			line := func(region, occ string) string {
				return `{"person":{"name":"Repeated Person","birth_date":"1980-01-02","region":"` + region + `","occupation":"` + occ + `"},"status":"pretrial"}`
			}
			lines = append(lines, line("Omsk", "Zookeeperx"))
			for i := range 20 {
				lines = append(lines, fmt.Sprintf(`{"person":{"name":"Other %c","region":"Omsk","occupation":"Zookeeperx"},"status":"pretrial"}`, 'a'+i))
			}
			lines = append(lines, line("Tomsk", "Quarrymanx"))
			os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
			rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: batch})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Added != 21 || rep.Updated != 1 {
				t.Fatalf("added %d updated %d, want 21 and 1", rep.Added, rep.Updated)
			}
			v = reopen(t, v)
			for q, want := range map[string]int{"repeated": 1, "omsk": 20, "tomsk": 1, "zookeeperx": 20, "quarrymanx": 1, "repeated omsk": 0} {
				if ids, _ := searchIDs(t, v, q, SearchOptions{}); len(ids) != want {
					t.Errorf("search %q: %d hits, want %d", q, len(ids), want)
				}
			}
			if !inVocabulary(t, v, "Quarrymanx") {
				t.Error("the second record's word is not in the vocabulary")
			}
			r, err := v.Check(context.Background(), CheckOptions{})
			if err != nil || len(r.Problems) != 0 {
				t.Fatalf("check: %v %+v", err, r.Problems)
			}
		})
	}
}

// A record found again by a charge key only (another first charge, so
// another stable key) updates the case too; its first record's postings
// must be keys of their own as well, so that the update never scans the
// posting groups of the whole vault (bulk.Sums.Shared): every token of
// the case has a posting key of its own, and search finds it by its new
// words only.
func TestImportChargeMatchPostingsOwnKeys(t *testing.T) {
	v := newTestVault(t)
	path := filepath.Join(t.TempDir(), "c.jsonl")
	rec := func(first, occ string) string {
		return `{"person":{"name":"Chargematch Person","birth_date":"1975-03-04","region":"Omsk","occupation":"` + occ +
			`"},"status":"pretrial","charges":[{"code":"RU-CC","article":"` + first + `"},{"code":"RU-CC","article":"207.3"}]}`
	}
	lines := []string{rec("280.3", "Beekeeperx")}
	for i := range 20 {
		lines = append(lines, fmt.Sprintf(`{"person":{"name":"Other %c","region":"Omsk","occupation":"Beekeeperx"},"status":"pretrial"}`, 'a'+i))
	}
	lines = append(lines, rec("275", "Glassblowerx"))
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 21 || rep.Updated != 1 {
		t.Fatalf("added %d updated %d, want 21 and 1 (the last record matches the first by its charge 207.3)", rep.Added, rep.Updated)
	}
	v = reopen(t, v)
	ids, _ := searchIDs(t, v, "chargematch", SearchOptions{})
	if len(ids) != 1 {
		t.Fatalf("search chargematch: %d hits, want 1", len(ids))
	}
	for q, want := range map[string]int{"glassblowerx": 1, "beekeeperx": 20} {
		if got, _ := searchIDs(t, v, q, SearchOptions{}); len(got) != want {
			t.Errorf("search %q: %d hits, want %d", q, len(got), want)
		}
	}
	id, err := ParseCaseID(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	rev, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := rev.Case()
	if err != nil {
		t.Fatal(err)
	}
	own := 0
	for _, k := range coreKeys(t, v, []byte{pPosting}) {
		if len(k) == 1+index.MACLen+len(id) && string(k[1+index.MACLen:]) == string(id[:]) {
			own++
		}
	}
	if toks := index.CaseTokens(doc, nil); own < len(toks) {
		t.Errorf("the case has %d posting keys of its own, want one for each of its %d tokens", own, len(toks))
	}
	if r, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(r.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, r.Problems)
	}
}
