package vault

import (
	"context"
	"testing"
)

// Benchmarks of `stats` and filtered lists on an existing vault, such as
// the one testdata/bench/search.sh leaves with KEEP=1 (use a copy: a
// read-write open may migrate it):
//
//	CASEVAULT_BENCH_VAULT=/tmp/sb go test -run '^$' -bench VaultStats -benchtime 5x -cpuprofile cpu.out ./vault
//
// $CASEVAULT_BENCH_VAULT holds vault/ and key.txt (openBenchVault).
func benchVaultStats(b *testing.B, f Filter) {
	v := openBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	var st Stats
	for range b.N {
		var err error
		if st, err = v.Stats(context.Background(), f); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(st.Total), "cases")
}

func BenchmarkVaultStats(b *testing.B)          { benchVaultStats(b, Filter{}) }
func BenchmarkVaultStatsSentenced(b *testing.B) { benchVaultStats(b, Filter{Status: "sentenced"}) }

func benchVaultList(b *testing.B, f Filter) {
	v := openBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	var n int
	for range b.N {
		l, err := v.ListCases(f)
		if err != nil {
			b.Fatal(err)
		}
		n = len(l)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "cases")
}

func BenchmarkVaultListArticleRegion(b *testing.B) {
	benchVaultList(b, Filter{Articles: []string{"207.3"}, Region: "Moscow"})
}
func BenchmarkVaultListStatus(b *testing.B) { benchVaultList(b, Filter{Status: "sentenced"}) }

func BenchmarkVaultOpenReadOnly(b *testing.B) {
	dir, idf := benchVault(b)
	cpu := processCPU()
	for range b.N {
		v, err := Open(dir, Unlock{IdentityFile: idf}, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		v.Close()
	}
	reportCPU(b, cpu)
}
