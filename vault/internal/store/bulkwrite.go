package store

import badger "github.com/dgraph-io/badger/v4"

// bulkWriteOptions are the store options of a large import's write path
// (Options.BulkWrite), on top of badgerOptions. An import writes tens of
// megabytes a second of keys spread over the whole key space (random case
// IDs and token MACs), so every byte it writes is rewritten by each level
// of compaction it passes: with Badger's 10 MiB base level a 100,000-case
// vault (~290 MB) has three levels below L0 and about fourteen rewrites
// per byte, the part of an import's time that grew with the vault. A
// 64 MiB base level and levels four times larger each (bulkLevelMultiplier)
// bound the rewrites of each level, and five level-0 tables before a compaction (stalling at
// twelve, not eight) merge more at once. Neither changes what is stored or
// how it is read: Badger decides a store's levels from these options at
// each open. Tables are bulkTableSize (8 MiB, not 4): the store an import
// leaves has half the tables for every later command to open (issue 14),
// and a compaction builds its tables in twice the memory.
// Values stay in the tables (no value log) and every commit is synchronous
// as before. The memtable is badgerOptions' 32 MiB, so that a record as
// large as a writer takes (a case of some 20,000 distinct words) fits one
// import transaction too (found by an attack: an export of such a case
// did not import), and so that a killed writer's memtable log fits the
// memtable an import replays it into; the import sizes its batches for
// 16 MiB as before (defaultBatchBytes).
func bulkWriteOptions(o badger.Options) badger.Options {
	return o.
		WithBaseLevelSize(64 << 20).
		WithBaseTableSize(bulkTableSize).
		WithNumLevelZeroTables(5).
		WithNumLevelZeroTablesStall(12).
		WithLevelSizeMultiplier(bulkLevelMultiplier)
}

// bulkLevelMultiplier is the ratio of a level's size to the one above it
// in a store a large import writes (Badger's default is 10). An import's
// keys are random (case IDs, token MACs), so every table a compaction
// moves down overlaps its share of the whole next level: each byte that
// reaches a level is rewritten about as many times as the multiplier, and
// with the base level pinned at 64 MiB the last level grew to ten times
// the one above it before Badger added a level, so the time per case grew
// with the vault in between. With 4, the ratio stays at most 4 at the price
// of a level more (300,000 generated cases through the command, loads
// 2–8: 466 s of CPU with 10, 422 and 450 s with 4, the same vault size and
// peak RSS). Reads are unchanged: a store's levels are decided from the
// options at each open.
const bulkLevelMultiplier = 4

// maxResidentBulk is maxResidentTables for ReleaseBulkPages: the table
// pages an import keeps mapped count in its RSS beside the Go heap, which
// the import command limits (cmd/casevault/memlimit.go), so the less of
// them, the more of the 512 MiB the heap may use.
const maxResidentBulk = 32 << 20

// ReleaseBulkPages is ReleaseTables for a long bulk writer (an import),
// with the lower bound maxResidentBulk.
func (d *DB) ReleaseBulkPages() int64 {
	return releaseTables(d.db.Opts().Dir, maxResidentBulk)
}
