//go:build !linux

package main

import "os"

// preallocate does nothing where there is no fallocate: the writes
// allocate as they go.
func preallocate(*os.File, int64) {}
