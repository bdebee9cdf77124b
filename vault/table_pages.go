package vault

import "path/filepath"

// Pages of the store's table files a long read keeps in its memory (issue
// 14). Badger maps every table file into the process and reads blocks
// through that mapping: each page a read touches stays in the process's
// resident set until the table is closed, so a search printing 14,000
// hits of a 600,000-case vault grew from 115 to 320 MiB of RSS (254 MiB of
// it table pages), with the number of hits rather than with what it holds.
// A read that goes through many cases (a search streaming its hits, a list
// or stats reading summaries) therefore hands the pages of the table
// mappings back every tablePagesAbove bytes of growth: the kernel keeps
// them in its page cache (nothing is read again from disk, nothing is
// lost: the mappings are shared and read-only for readers), and a page
// read again is mapped again.

// tablePagesAbove is how much the process's resident file pages may grow
// during one read before the table mappings are released.
var tablePagesAbove int64 = 64 << 20

// tablePagesEvery is how many cases a read goes through between two looks
// at its resident memory (a read of /proc/self/statm on Linux).
var tablePagesEvery = 256

// A pageBound bounds the table pages one read keeps mapped. Its zero
// value does nothing; it is not safe for concurrent use.
type pageBound struct {
	dir      string // the store's directory; "" where pages are not counted
	base     int64  // resident file bytes when the read began
	n        int
	releases int // times the mappings were released (for tests)
}

// newPageBound starts bounding the table pages of a read of v. Only a
// store opened read-only has its mappings released: it neither writes nor
// compacts, so no table is unmapped (and its address range reused) before
// the vault is closed.
func (v *Vault) newPageBound() *pageBound {
	if !v.opts.ReadOnly || !sharedReads || v.dbName == "" {
		return &pageBound{}
	}
	base := residentFileBytes()
	if base <= 0 {
		return &pageBound{}
	}
	return &pageBound{dir: filepath.Join(v.dir, v.dbName), base: base}
}

// tick counts n cases read, and every tablePagesEvery cases releases the
// table mappings if the resident file pages grew by more than
// tablePagesAbove since the read began (or since the last release).
func (b *pageBound) tick(n int) {
	if b == nil || b.dir == "" {
		return
	}
	if b.n += n; b.n < tablePagesEvery {
		return
	}
	b.n = 0
	if res := residentFileBytes(); res > b.base+tablePagesAbove {
		releaseTablePages(b.dir)
		b.releases++
		if now := residentFileBytes(); now > 0 {
			b.base = min(b.base, now)
		}
	}
}
