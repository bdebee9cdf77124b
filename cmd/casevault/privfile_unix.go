//go:build unix

package main

import (
	"fmt"
	"os"
)

// checkPrivateFile refuses an open secret file that the group or other
// users can read or write (mode bits 077). The mode is that of the opened
// file, so a swap between check and read does not help.
func checkPrivateFile(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("can be read or changed by other users (mode %04o)", perm)
	}
	return nil
}
