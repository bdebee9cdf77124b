//go:build unix

package main

import (
	"os"
	"syscall"
)

// openSecretFile opens a passphrase file for reading without blocking on
// a FIFO or device (O_NONBLOCK), and refuses anything but a regular file:
// a named pipe planted as the passphrase file would hang every command.
func openSecretFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
