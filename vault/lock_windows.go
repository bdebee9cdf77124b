//go:build windows

package vault

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// sharedReads: Badger v4 refuses read-only opens on Windows
// (ErrWindowsNotSupported in dir_windows.go), so there every open,
// reading or writing, takes the lock exclusively and waits its turn.
const sharedReads = false

// tryLock takes a shared or exclusive LockFileEx lock on the first byte
// of f without waiting.
func tryLock(f *os.File, shared bool) error {
	var flags uint32 = windows.LOCKFILE_FAIL_IMMEDIATELY
	if !shared {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := new(windows.Overlapped)
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLockBusy
	}
	return err
}

// openGate: no gate where every open is exclusive (see sharedReads): a
// waiting writer can only be kept out by another exclusive open, which
// waits its turn the same way.
func openGate(string) (*os.File, error) { return nil, nil }
