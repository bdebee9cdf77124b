package vault

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
)

// benchVault returns the vault $CASEVAULT_BENCH_VAULT and the identity file
// $CASEVAULT_BENCH_IDENTITY that opens it; without the identity,
// $CASEVAULT_BENCH_VAULT is a directory holding vault/ and key.txt (as
// testdata/bench/search.sh leaves it with KEEP=1). It skips without a vault.
func benchVault(tb testing.TB) (dir, identity string) {
	tb.Helper()
	dir, identity = os.Getenv("CASEVAULT_BENCH_VAULT"), os.Getenv("CASEVAULT_BENCH_IDENTITY")
	if dir == "" {
		tb.Skip("CASEVAULT_BENCH_VAULT not set")
	}
	if identity == "" {
		return filepath.Join(dir, "vault"), filepath.Join(dir, "key.txt")
	}
	return dir, identity
}

// openBenchVault opens benchVault's vault for reading until the test ends.
func openBenchVault(tb testing.TB) *Vault {
	tb.Helper()
	dir, idf := benchVault(tb)
	v, err := Open(dir, Unlock{IdentityFile: idf}, Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { v.Close() })
	return v
}

// BenchmarkOpenSearch is what a whole `case search WORD` does in the
// library: open the vault named by $CASEVAULT_BENCH_VAULT read-only with
// the identity file $CASEVAULT_BENCH_IDENTITY, search
// $CASEVAULT_BENCH_QUERY (default "colony", limit $CASEVAULT_BENCH_LIMIT,
// default 20; 0 for every hit, as the command prints them), close. Skipped
// without a vault; for profiling the cost of opening (go test -cpuprofile).
func BenchmarkOpenSearch(b *testing.B) {
	dir, idf := benchVault(b)
	q := os.Getenv("CASEVAULT_BENCH_QUERY")
	if q == "" {
		q = "colony"
	}
	limit := 20
	if l := os.Getenv("CASEVAULT_BENCH_LIMIT"); l != "" {
		var err error
		if limit, err = strconv.Atoi(l); err != nil {
			b.Fatal(err)
		}
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
		err = v.SearchCases(context.Background(), q, Filter{Limit: limit}, SearchOptions{}, func(Hit) error { n++; return nil })
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

// TestVaultSizeBreakdown logs the bytes of keys and values of each record
// kind (first key byte) of the vault $CASEVAULT_BENCH_VAULT: where the
// vault's size against its import file goes. Skipped without a vault.
func TestVaultSizeBreakdown(t *testing.T) {
	v := openBenchVault(t)
	var err error
	type tally struct{ n, keys, vals int64 }
	by := map[byte]*tally{}
	err = v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			s := by[k[0]]
			if s == nil {
				s = &tally{}
				by[k[0]] = s
			}
			s.n++
			s.keys += int64(len(k))
			s.vals += it.Item().ValueSize()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for p, s := range by {
		total += s.keys + s.vals
		t.Logf("%q: %d records, keys %d KiB, values %d KiB", p, s.n, s.keys>>10, s.vals>>10)
	}
	t.Logf("live total %d KiB", total>>10)
}
