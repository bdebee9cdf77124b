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
// file pages pass maxResidentTables, ReleaseTables asks the kernel to page
// out the store's table mappings (madvise MADV_PAGEOUT, which never loses
// data: a page read again comes back from the file). It returns the bytes
// it found resident, 0 where it cannot tell. It is a hint: errors are
// ignored.
func (d *DB) ReleaseTables() int64 {
	return releaseTables(d.db.Opts().Dir, maxResidentTables)
}
