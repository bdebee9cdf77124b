//go:build unix

package main

import "syscall"

// privateUmask makes every file the process creates private to its user
// (Badger creates its tables and logs 0644; SECURITY.md, "Private files").
func privateUmask() { syscall.Umask(0o077) }
