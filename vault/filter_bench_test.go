package vault

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Benchmarks of structured filters and statistics over generated cases
// (schema/casegen, seed 1, loaded with Import). The number of cases is
// $CASEVAULT_BENCH_CASES (default 10,000); the figure is at
// 100,000:
//
//	CASEVAULT_BENCH_CASES=100000 go test -run '^$' -bench 'Filter|Stats' -benchtime 10x ./vault

var filterBench struct {
	once sync.Once
	v    *Vault
	n    int
}

func filterBenchVault(b *testing.B) *Vault {
	b.Helper()
	filterBench.once.Do(func() {
		n := 10000
		if s := os.Getenv("CASEVAULT_BENCH_CASES"); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				b.Fatal(err)
			}
		}
		dir, err := os.MkdirTemp("", "casevault-filter-bench-")
		if err != nil {
			b.Fatal(err)
		}
		// The vault lives for the whole run of benchmarks.
		v, err := Init(dir+"/vault", InitOptions{Org: "Bench", Classic: true, Passphrase: testPass, Options: Options{Author: "tester"}})
		if err != nil {
			b.Fatal(err)
		}
		path := writeGenerated(b, FormatJSONL, n, 1)
		if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
			b.Fatal(err)
		}
		filterBench.v, filterBench.n = v, n
	})
	if filterBench.v == nil {
		b.Skip("no benchmark vault")
	}
	return filterBench.v
}

func benchList(b *testing.B, f Filter) {
	v := filterBenchVault(b)
	b.ResetTimer()
	var n int
	cpu := processCPU()
	for range b.N {
		list, err := v.ListCases(f)
		if err != nil {
			b.Fatal(err)
		}
		n = len(list)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "cases")
}

// reportCPU reports the CPU time per operation since cpu (with the
// garbage collector's share; 0 where not measured).
func reportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// The query: `case list --article 207.3 --region Moscow`.
func BenchmarkFilterArticleRegion(b *testing.B) {
	benchList(b, Filter{Articles: []string{"207.3"}, Region: "Moscow"})
}

func BenchmarkFilterStatus(b *testing.B) { benchList(b, Filter{Status: "sentenced"}) }

func BenchmarkFilterMistreatmentSince(b *testing.B) {
	f := Filter{Mistreatment: "torture"}
	f.DetainedSince, _ = parseDay("2023-01-01")
	benchList(b, f)
}

func BenchmarkFilterAll(b *testing.B) { benchList(b, Filter{}) }

func BenchmarkStatsAll(b *testing.B) {
	v := filterBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if _, err := v.Stats(context.Background(), Filter{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkStatsArticle(b *testing.B) {
	v := filterBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if _, err := v.Stats(context.Background(), Filter{Articles: []string{"207.3"}}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func parseDay(s string) (t time.Time, err error) { return time.Parse(time.DateOnly, s) }
