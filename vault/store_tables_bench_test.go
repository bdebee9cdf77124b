package vault

import "testing"

// TestStoreTableBreakdown logs, per level, the tables of the vault
// $CASEVAULT_BENCH_VAULT, their keys and bytes, and the bytes of their
// indexes and bloom filters: what every open of the vault reads and
// decrypts (issue 14). Skipped without a vault.
func TestStoreTableBreakdown(t *testing.T) {
	v := openBenchVault(t)
	type tally struct {
		n, keys, size, index, bloom int64
	}
	by := map[int]*tally{}
	var all tally
	for _, ti := range v.db.Tables() {
		s := by[ti.Level]
		if s == nil {
			s = &tally{}
			by[ti.Level] = s
		}
		for _, s := range []*tally{s, &all} {
			s.n++
			s.keys += int64(ti.Keys)
			s.size += ti.Size
			s.index += int64(ti.IndexBytes)
			s.bloom += int64(ti.BloomBytes)
		}
	}
	for l := 0; l < 8; l++ {
		if s := by[l]; s != nil {
			t.Logf("L%d: %d tables, %d keys, %d KiB, index %d KiB (bloom %d KiB)", l, s.n, s.keys, s.size>>10, s.index>>10, s.bloom>>10)
		}
	}
	t.Logf("all: %d tables, %d keys, %d KiB, index %d KiB (bloom %d KiB)", all.n, all.keys, all.size>>10, all.index>>10, all.bloom>>10)
}
