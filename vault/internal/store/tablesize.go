package store

// tableBlockSize is the size of the blocks of every table the store
// writes from now on (Badger's default is 4 KiB). Every open of the store
// reads, checks and decrypts (twice: Badger v4.9.6 reads it once to open
// the table and once more into its index cache) the index of every table,
// and the index names every block with its first key: with 4 KiB blocks a
// 100,000-case store's indexes were 4.9 MiB of its 286 MiB (3.7 MiB of
// block entries, 1.2 MiB of bloom filters), the largest part of the CPU
// time of a short command (issue 14). 16 KiB blocks make them 2.1 MiB. A
// point read (a hit's summary) decrypts one block, now 16 KiB instead of
// 4 KiB: on the same tables, a search of 2,365 hits took about 4 % more
// CPU and one reading 75,000 summaries about 25 % more (the page fault of
// a block's first read costs more than its decryption), against 15 ms
// less for every open of a 100,000-case store.
// Nothing about the format changes: a table records its own block
// offsets, so tables written with 4 KiB blocks (every vault before this)
// open and read as before, and compactions rewrite them with the new size
// in time (TestOldBlockSizeStoreReadsBack).
const tableBlockSize = 16 << 10

// bulkTableSize is the size of the tables a large import writes
// (bulkWriteOptions), against BaseTableSize's 4 MiB for every other
// writer. Opening the store opens every table (a file, a memory map, a
// footer, an index and the last block read and decrypted, and at close an
// unmap), about 0.4 ms of CPU each on this machine: a 100,000-case store
// imported with 4 MiB tables had 84 of them, a 1,000,000-case one about
// 700. 8 MiB tables halve that. The memory a compaction builds tables in
// grows with them: 16 MiB tables took a 100,000-case import's peak RSS to
// 553 MiB, over issue 14's 512 (testdata/bench/search.sh measures it).
const bulkTableSize = 8 << 20
