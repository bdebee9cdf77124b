//go:build !windows

package main

// tokenCacheOffHeap is the part of the vault's token cache outside the Go
// heap: all of it (32 MiB) on Linux and macOS, where fastcache maps its
// memory itself.
const tokenCacheOffHeap = 32 << 20
