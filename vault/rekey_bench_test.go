package vault

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkRekey rotates the master key of a vault of generated cases
// (schema/casegen, seed 1; 2,000 by default, CASEVAULT_BENCH_CASES=10000
// for the size):
//
//	go test -run '^$' -bench 'Rekey$' -benchtime 1x -cpuprofile cpu.out ./vault
//
// Each iteration is a whole rekey (what `staff rm` does); it reports the
// process's CPU time (user+system) per rekey beside the wall time, and the
// records written.
func BenchmarkRekey(b *testing.B) {
	n := 2000
	if s := os.Getenv("CASEVAULT_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	v := newTestVault(b)
	path := writeGenerated(b, FormatJSONL, n, 1)
	// Generated people repeat: import merges them and reports the records
	// it did not take, which is fine here.
	if rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil && (rep == nil || rep.Added == 0) {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := processCPU()
	recs := 0
	for range b.N {
		st, err := v.Rekey(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		recs = st.Records
	}
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(recs), "records")
	b.ReportMetric(float64(recs)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
