package bulk

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// verify runs the second pass over the file at p against sums: it
// returns the records whose group matched and whether the whole file did.
func verify(t *testing.T, p string, sums Sums) (used []int, ok bool) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ver := sums.Verifier()
	var group []int
	err = ParseFile(f, FormatJSONL, nil, nil, func(r Record) error {
		ended, ok := ver.Add(r.Sum, r.Size)
		if !ok {
			return errStopped
		}
		group = append(group, r.N)
		if ended {
			used, group = append(used, group...), nil
		}
		return nil
	})
	if err != nil {
		return used, false
	}
	if !ver.Finish() {
		return used, false
	}
	return append(used, group...), true
}

// Check keeps a bit a record and SumLen bytes a group of records: the
// second pass of an import knows the records it validated, and a record
// changed, added or removed since makes its group (or the end) not match.
func TestCheckSums(t *testing.T) {
	good := `{"person":{"name":"Anna Ivanova"},"status":"pretrial"}`
	var lines []string
	for i := range 150 {
		if i == 1 {
			lines = append(lines, `{"person":{}}`)
			continue
		}
		lines = append(lines, fmt.Sprintf(`{"person":{"name":"Boris %d"},"status":"sentenced"}`, i))
	}
	lines[0] = good
	dir := t.TempDir()
	write := func(name string, ls []string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("c.jsonl", lines)
	rep, sums, err := Check(p, Options{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid != 149 || rep.Invalid != 1 || sums.Len() != 150 {
		t.Fatalf("report %+v, %d sums", rep, sums.Len())
	}
	if !sums.Valid(1) || sums.Valid(2) || !sums.Valid(3) || sums.Valid(0) || sums.Valid(151) {
		t.Fatal("Valid does not follow the check")
	}
	if used, ok := verify(t, p, sums); !ok || len(used) != 150 {
		t.Fatalf("the unchanged file: %d records used, ok %v", len(used), ok)
	}
	changed := func(name string, edit func([]string) []string) {
		t.Helper()
		ls := edit(append([]string(nil), lines...))
		if _, ok := verify(t, write(name, ls), sums); ok {
			t.Errorf("%s: the second pass matched the check", name)
		}
	}
	// A changed record of the third group: the first two groups (128
	// records) may be used, nothing of the third.
	changed("late.jsonl", func(ls []string) []string { ls[140] = strings.Replace(ls[140], "Boris", "Borys", 1); return ls })
	used, _ := verify(t, write("late2.jsonl", func() []string {
		ls := append([]string(nil), lines...)
		ls[140] = strings.Replace(ls[140], "Boris", "Borys", 1)
		return ls
	}()), sums)
	if len(used) != 2*groupRecords {
		t.Errorf("a record of the third group changed: %d records used, want the first two groups (%d)", len(used), 2*groupRecords)
	}
	changed("first.jsonl", func(ls []string) []string { ls[0] = good + " "; return ls })
	changed("swapped.jsonl", func(ls []string) []string { ls[3], ls[4] = ls[4], ls[3]; return ls })
	changed("truncated.jsonl", func(ls []string) []string { return ls[:149] })
	changed("truncated-at-group.jsonl", func(ls []string) []string { return ls[:128] })
	changed("longer.jsonl", func(ls []string) []string { return append(ls, good) })
}

// The problems a check lists are bounded: a file of invalid records does
// not make the check's memory grow without end; the rest are counted.
func TestCheckBoundsRejected(t *testing.T) {
	n := MaxRejected + 7
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(p, []byte(strings.Repeat("{\n", n)), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, _, err := Check(p, Options{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Invalid != n || len(rep.Rejected) != MaxRejected || rep.Omitted != n-MaxRejected {
		t.Fatalf("%d invalid, %d listed, %d omitted; want %d, %d, %d", rep.Invalid, len(rep.Rejected), rep.Omitted, n, MaxRejected, n-MaxRejected)
	}
	if last := rep.Rejected[MaxRejected-1]; last.Record != MaxRejected {
		t.Fatalf("the last problem listed is of record %d, want %d (the first ones in file order)", last.Record, MaxRejected)
	}
}

// Again marks the records whose stable key another record has: by the
// name-and-birth hash and by external_id, the last of each key too, an
// invalid record's keys never counting.
func TestCheckAgain(t *testing.T) {
	lines := []string{
		`{"person":{"name":"Anna Ivanova","birth_date":"1980-01-02"},"status":"pretrial"}`,   // 1: again (4)
		`{"external_id":"x-1","person":{"name":"Boris"},"status":"pretrial"}`,                // 2: again (5, same ext)
		`{"person":{"name":"Vera"},"status":"sentenced"}`,                                    // 3
		`{"person":{"name":"anna  ivanova","birth_date":"1980-01-02"},"status":"sentenced"}`, // 4: again (1)
		`{"external_id":"x-1","person":{"name":"Boris Other"},"status":"pretrial"}`,          // 5: again (2)
		`{"person":{"name":"Vera"},"status":"nonsense"}`,                                     // 6: invalid status, so 3 is not again
	}
	p := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, sums, err := Check(p, Options{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false, true, true} {
		doc, err := schema.FromJSON([]byte(lines[i]))
		if err != nil {
			t.Fatal(err)
		}
		if sums.Again(doc) != want {
			t.Errorf("Again(record %d) = %v, want %v", i+1, !want, want)
		}
	}
}

// The check's memory does not grow with the file but for a bit a record
// and SumLen bytes a group: the filter of stable keys has a fixed size.
func TestSumsMemory(t *testing.T) {
	if b := newBloom(1 << 40); len(b.bits)*8 > 8<<20 {
		t.Fatalf("a filter for a 1 TiB file takes %d bytes", len(b.bits)*8)
	}
	ck := newChecker(0)
	var sum [32]byte
	for i := range 100_000 {
		sum[0], sum[1], sum[2] = byte(i), byte(i>>8), byte(i>>16)
		ck.add(&sum, 1600, true, fmt.Sprint("hash:", i))
	}
	s := ck.done()
	if n := len(s.valid)*8 + len(s.groups); n > 100_000/2 {
		t.Fatalf("sums of 100,000 records take %d bytes, more than half a byte a record", n)
	}
	again := 0
	for i := range 100_000 {
		if s.AgainKeys("", fmt.Sprint("hash:", i)) {
			again++
		}
	}
	t.Logf("100,000 distinct keys in a filter of 2^20 bits: %d marked again", again)
	if again > 1000 {
		t.Errorf("%d of 100,000 distinct keys marked again (false positives above 1%%)", again)
	}
}
