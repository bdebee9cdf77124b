package store

// TableInfo describes one table file of the store: what opening it costs
// (its index, read and decrypted at every open, and the bloom filter
// inside that index) against the keys it holds.
type TableInfo struct {
	ID         uint64
	Level      int
	Keys       uint32
	Size       int64 // bytes on disk
	IndexBytes int   // the table's index, bloom filter included
	BloomBytes int   // the bloom filter's part of IndexBytes
}

// Tables lists the store's tables (for benchmarks and the size breakdown).
func (d *DB) Tables() []TableInfo {
	var out []TableInfo
	for _, t := range d.db.Tables() {
		out = append(out, TableInfo{ID: t.ID, Level: t.Level, Keys: t.KeyCount, Size: int64(t.OnDiskSize),
			IndexBytes: t.IndexSz, BloomBytes: t.BloomFilterSize})
	}
	return out
}
