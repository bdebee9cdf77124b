//go:build !linux

package store

// dropTablePages does nothing where the process cannot list its mappings.
func dropTablePages(string, int64) int64 { return 0 }
