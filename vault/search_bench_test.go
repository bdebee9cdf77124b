package vault

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/casevault/casevault/schema/casegen"
)

// BenchmarkSearchScale measures SearchCases on a vault of realistic
// generated cases (schema/casegen.NewRealistic, seed 11; 100,000 unless
// CASEVAULT_BENCH_CASES says otherwise), imported once:
//
//	go test -run '^$' -bench SearchScale -benchtime 20x ./vault
//
// Each sub-benchmark streams every hit (a summary read per hit); "first"
// stops at the first hit, as a terminal shows it. Targets (issue 14): one
// word ≤ 100 ms, prefix and two words ≤ 200 ms.
func BenchmarkSearchScale(b *testing.B) {
	n := 100000
	if s := os.Getenv("CASEVAULT_BENCH_CASES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	v := newTestVault(b)
	path := filepath.Join(b.TempDir(), "cases.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	g := casegen.NewRealistic(11)
	enc := json.NewEncoder(w)
	for range n {
		if err := enc.Encode(g.Case()); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	start := time.Now()
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start).Round(time.Millisecond)
	var jsonl, vaultSize int64
	if st, err := os.Stat(path); err == nil {
		jsonl = st.Size()
	}
	_ = filepath.Walk(v.Dir(), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			vaultSize += fi.Size()
		}
		return nil
	})
	b.Logf("imported %d cases in %v; JSONL %d MiB, vault %d MiB (%.2f×)", n, took, jsonl>>20, vaultSize>>20, float64(vaultSize)/float64(jsonl))
	for _, q := range []struct{ name, query string }{
		{"one-word", "Яблонская"},
		{"one-word-latin", "yablonskaya"},
		{"one-word-form", "Хайруллину"},
		{"prefix", "яблон*"},
		{"two-word", "207.3 omsk"},
		{"phrase", `"Ivan Petrov"`},
		{"broad-first", "sentenced"},
	} {
		b.Run(q.name, func(b *testing.B) {
			hits := 0
			for b.Loop() {
				hits = 0
				err := v.SearchCases(context.Background(), q.query, Filter{}, SearchOptions{}, func(Hit) error {
					hits++
					if q.name == "broad-first" {
						return errStopScan
					}
					return nil
				})
				if err != nil && err != errStopScan {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}
