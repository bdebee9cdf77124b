package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
// another stable key) updates the case imported by an earlier record of
// the same batch: the words only the first record had are gone from the
// search and from the prefix vocabulary (a token that came and went in
// one change was kept in the vocabulary, and check reported it), the new
// ones are found.
func TestImportChargeMatchUpdatesInBatch(t *testing.T) {
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
	for q, want := range map[string]int{"glassblowerx": 1, "beekeeperx": 20, "280.3": 0} {
		if got, _ := searchIDs(t, v, q, SearchOptions{}); len(got) != want {
			t.Errorf("search %q: %d hits, want %d", q, len(got), want)
		}
	}
	if inVocabulary(t, v, "Beekeeperx") == false || inVocabulary(t, v, "Glassblowerx") == false {
		t.Error("a word some case holds is missing from the vocabulary")
	}
	if r, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(r.Problems) != 0 {
		t.Fatalf("check: %v %+v", err, r.Problems)
	}
}
