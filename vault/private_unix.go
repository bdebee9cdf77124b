//go:build !windows

package vault

import "os"

// MakePrivate gives path mode 0600 (a file) or 0700 (a directory): only
// its owner may read or change it.
func MakePrivate(path string, dir bool) error {
	mode := os.FileMode(0o600)
	if dir {
		mode = 0o700
	}
	return os.Chmod(path, mode)
}
