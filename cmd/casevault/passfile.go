package main

import (
	"errors"
	"os"
)

// checkRegular refuses an open file that is not a regular file (a FIFO, a
// device, a directory).
func checkRegular(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return errors.New("is not a regular file (a named pipe, device or directory)")
	}
	return nil
}
