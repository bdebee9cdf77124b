package vault

import (
	"context"
	"os"
	"testing"
	"time"
)

// BenchmarkOpenSearch is what a whole `case search WORD` does in the
// library: open the vault named by $CASEVAULT_BENCH_VAULT read-only with
// the identity file $CASEVAULT_BENCH_IDENTITY, search
// $CASEVAULT_BENCH_QUERY (default "colony", limit 20), close. Skipped
// without a vault; for profiling the cost of opening (go test -cpuprofile).
func BenchmarkOpenSearch(b *testing.B) {
	dir, idf := os.Getenv("CASEVAULT_BENCH_VAULT"), os.Getenv("CASEVAULT_BENCH_IDENTITY")
	if dir == "" || idf == "" {
		b.Skip("CASEVAULT_BENCH_VAULT and CASEVAULT_BENCH_IDENTITY not set")
	}
	q := os.Getenv("CASEVAULT_BENCH_QUERY")
	if q == "" {
		q = "colony"
	}
	var open, search, closing time.Duration
	for b.Loop() {
		t0 := time.Now()
		v, err := Open(dir, Unlock{IdentityFile: idf}, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		n := 0
		err = v.SearchCases(context.Background(), q, Filter{Limit: 20}, SearchOptions{}, func(Hit) error { n++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := v.Close(); err != nil {
			b.Fatal(err)
		}
		open, search, closing = open+t1.Sub(t0), search+t2.Sub(t1), closing+time.Since(t2)
	}
	b.ReportMetric(float64(open.Milliseconds())/float64(b.N), "open-ms/op")
	b.ReportMetric(float64(search.Milliseconds())/float64(b.N), "search-ms/op")
	b.ReportMetric(float64(closing.Milliseconds())/float64(b.N), "close-ms/op")
}
