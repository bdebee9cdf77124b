//go:build windows

package main

import "os"

// checkPrivateFile does not check Windows ACLs: Go reports no group or
// other bits there (README.md, "Passphrase files on Windows", says to keep
// the file in the user's profile, which only the user can read).
func checkPrivateFile(f *os.File) error { return nil }
