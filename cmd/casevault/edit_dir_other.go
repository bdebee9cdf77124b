//go:build !linux

package main

import "runtime"

const onUnix = runtime.GOOS != "windows"

// editDir is where 'case edit' puts its plaintext copy. macOS and Windows
// offer no memory-backed directory to an ordinary user (a RAM disk needs
// administrator rights), so it is casevault's private directory in the
// user's cache directory.
func (g *globals) editDir() (string, error) { return g.privateEditDir() }
