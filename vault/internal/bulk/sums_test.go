package bulk

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check keeps SumLen bytes a record: the second pass of an import knows
// the records it validated, and a record changed since does not match.
func TestCheckSums(t *testing.T) {
	good := `{"person":{"name":"Anna Ivanova"},"status":"pretrial"}`
	lines := []string{good, `{"person":{}}`, `{"person":{"name":"Boris"},"status":"sentenced"}`}
	p := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, sums, err := Check(p, Options{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid != 2 || rep.Invalid != 1 || sums.Len() != 3 {
		t.Fatalf("report %+v, %d sums", rep, sums.Len())
	}
	if !sums.Valid(1) || sums.Valid(2) || !sums.Valid(3) || sums.Valid(0) || sums.Valid(4) {
		t.Fatal("Valid does not follow the check")
	}
	if !sums.Match(1, sha256.Sum256([]byte(good))) {
		t.Fatal("the checked record does not match")
	}
	if sums.Match(1, sha256.Sum256([]byte(good+" "))) || sums.Match(3, sha256.Sum256([]byte(good))) {
		t.Fatal("a changed or moved record matches")
	}
	if sums.Match(2, sha256.Sum256([]byte(lines[1]))) {
		t.Fatal("an invalid record matches")
	}
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

// Again marks exactly the records whose stable key a later record has:
// by the name-and-birth hash and by external_id, the last of each key
// unmarked, an invalid record never.
func TestCheckAgain(t *testing.T) {
	lines := []string{
		`{"person":{"name":"Anna Ivanova","birth_date":"1980-01-02"},"status":"pretrial"}`,   // 1: again (4)
		`{"external_id":"x-1","person":{"name":"Boris"},"status":"pretrial"}`,                // 2: again (5, same ext)
		`{"person":{"name":"Vera"},"status":"sentenced"}`,                                    // 3
		`{"person":{"name":"anna  ivanova","birth_date":"1980-01-02"},"status":"sentenced"}`, // 4
		`{"external_id":"x-1","person":{"name":"Boris Other"},"status":"pretrial"}`,          // 5
		`{"person":{}}`, // 6: invalid
	}
	p := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, sums, err := Check(p, Options{Format: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range []bool{false, true, true, false, false, false, false, false} {
		if sums.Again(n) != want {
			t.Errorf("Again(%d) = %v, want %v", n, !want, want)
		}
	}
}
