package vault

import (
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// BenchmarkVerifyLevels is what check adds to find swapped table files
// (store.(*DB).VerifyLevels) on the vault of $CASEVAULT_BENCH_VAULT,
// beside BenchmarkVerifyTables, the block checksums check reads first.
func BenchmarkVerifyLevels(b *testing.B) {
	v := openBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if err := v.db.VerifyLevels(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkVerifyTables(b *testing.B) {
	v := openBenchVault(b)
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if err := v.db.VerifyTables(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkPreflight and BenchmarkPreflightSetAside are the store's
// preflight without and with the look for table files the MANIFEST does
// not name (what every open does; nothing to move in a whole store).
func BenchmarkPreflight(b *testing.B) { benchPreflight(b, false) }

func BenchmarkPreflightSetAside(b *testing.B) { benchPreflight(b, true) }

func benchPreflight(b *testing.B, aside bool) {
	v := openBenchVault(b)
	path := filepath.Join(v.dir, v.dbName)
	b.ResetTimer()
	for range b.N {
		var err error
		if aside {
			var moved []string
			moved, err = store.PreflightSetAside(path, v.keys.badger[:], filepath.Join(v.dir, setAsideDir))
			if len(moved) > 0 {
				b.Fatalf("moved %q", moved)
			}
		} else {
			err = store.Preflight(path, v.keys.badger[:])
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
