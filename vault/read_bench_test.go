package vault

import (
	"context"
	"testing"
)

// BenchmarkOpenStats and BenchmarkOpenList are what a whole `stats` and
// `case list --article 207.3 --region Moscow` do in the library on the
// vault $CASEVAULT_BENCH_VAULT (identity file $CASEVAULT_BENCH_IDENTITY),
// opened read-only, as BenchmarkOpenSearch does for a search. Skipped
// without a vault; for profiling (go test -cpuprofile).
func BenchmarkOpenStats(b *testing.B) {
	benchOpen(b, func(v *Vault) error {
		_, err := v.Stats(context.Background(), Filter{})
		return err
	})
}

func BenchmarkOpenList(b *testing.B) {
	benchOpen(b, func(v *Vault) error {
		_, err := v.ListCases(Filter{Articles: []string{"RU-CC 207.3"}, Region: "Moscow"})
		return err
	})
}

func benchOpen(b *testing.B, do func(*Vault) error) {
	dir, idf := benchVault(b)
	for b.Loop() {
		v, err := Open(dir, Unlock{IdentityFile: idf}, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := do(v); err != nil {
			b.Fatal(err)
		}
		if err := v.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
