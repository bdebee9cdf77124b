package store

// maxResidentTables is how much of the store's table files a long writer
// (an import) lets stay mapped in its memory before ReleaseTables hands
// them back to the kernel.
const maxResidentTables = 64 << 20

// ReleaseTables bounds the memory the store's table files hold in this
// process. Badger maps every table file into memory and writes new tables
// through that mapping, so the pages of every table written or compacted
// stay in the process's resident set (they count in its RSS) until the
// table is deleted: an import's RSS grew with the size of the store, not
// with its batch. Where the platform allows (Linux), once the resident
// file pages pass maxResidentTables, ReleaseTables drops the store's table
// mappings from the process without evicting them from the kernel's page
// cache (madvise MADV_DONTNEED on Badger's shared file mappings, which
// never loses data: a dirty page stays in the page cache and is written
// back, and a page touched again is mapped again from the cache without a
// disk read). MADV_PAGEOUT, used before, made the kernel reclaim every
// page of every table: at 300,000 cases it took 21.5 s of an import's 387 s
// of CPU in madvise alone, more with each table, and compactions then read
// back from disk what it had evicted (134,000 major page faults). It
// returns the bytes it found resident, 0 where it cannot tell. It is a
// hint: errors are ignored.
func (d *DB) ReleaseTables() int64 {
	return releaseTables(d.db.Opts().Dir, maxResidentTables)
}
