//go:build windows

package main

import "os"

// openSecretFile opens a passphrase file for reading and refuses anything
// but a regular file.
func openSecretFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
