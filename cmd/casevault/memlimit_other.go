//go:build !linux

package main

// residentBytes is not read outside Linux: steerMemory keeps its floor.
func residentBytes() (int64, bool) { return 0, false }
