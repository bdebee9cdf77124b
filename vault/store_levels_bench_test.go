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

// BenchmarkPreflightReader and BenchmarkPreflightSetAside are a reader's
// preflight without and with the look for table files the MANIFEST does
// not name (what every open now adds; nothing to move in a whole store).
func BenchmarkPreflightReader(b *testing.B) { benchPreflight(b, false) }

func BenchmarkPreflightSetAside(b *testing.B) { benchPreflight(b, true) }

func benchPreflight(b *testing.B, aside bool) {
	v := openBenchVault(b)
	path := filepath.Join(v.dir, v.dbName)
	b.ResetTimer()
	for range b.N {
		var err error
		if aside {
			var moved []string
			moved, err = store.PreflightSetAside(path, v.keys.badger[:], true, filepath.Join(v.dir, setAsideDir))
			if len(moved) > 0 {
				b.Fatalf("moved %q", moved)
			}
		} else {
			err = store.PreflightReader(path, v.keys.badger[:])
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
