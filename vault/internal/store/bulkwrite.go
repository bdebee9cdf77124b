package store

import badger "github.com/dgraph-io/badger/v4"

// bulkWriteOptions are the store options of a large import's write path
// (Options.BulkWrite), on top of badgerOptions. An import writes tens of
// megabytes a second of keys spread over the whole key space (random case
// IDs and token MACs), so every byte it writes is rewritten by each level
// of compaction it passes: with Badger's 10 MiB base level a 100,000-case
// vault (~290 MB) has three levels below L0 and about fourteen rewrites
// per byte, the part of an import's time that grew with the vault. A
// 64 MiB base level keeps vaults up to ~640 MB at two levels (about seven
// rewrites), and five level-0 tables before a compaction (stalling at
// twelve, not eight) merge more at once. Neither changes what is stored or
// how it is read: Badger decides a store's levels from these options at
// each open. Tables are bulkTableSize (8 MiB, not 4): the store an import
// leaves has half the tables for every later command to open (issue 14),
// and a compaction builds its tables in twice the memory.
// Values stay in the tables (no value log) and every commit is synchronous
// as before.
func bulkWriteOptions(o badger.Options) badger.Options {
	return o.
		WithBaseLevelSize(64 << 20).
		WithBaseTableSize(bulkTableSize).
		WithNumLevelZeroTables(5).
		WithNumLevelZeroTablesStall(12)
}
