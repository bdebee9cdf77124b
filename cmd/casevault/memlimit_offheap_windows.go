package main

// tokenCacheOffHeap is the part of the vault's token cache outside the Go
// heap: none on Windows, where fastcache allocates it on the heap.
const tokenCacheOffHeap = 0
