//go:build unix

package vault

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// sharedReads: read-only opens share the vault. Badger takes a shared
// lock (LOCK_SH) on its directory when opened read-only.
const sharedReads = true

// tryLock takes a shared or exclusive flock(2) on f without waiting.
func tryLock(f *os.File, shared bool) error {
	how := unix.LOCK_EX
	if shared {
		how = unix.LOCK_SH
	}
	for {
		err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.EWOULDBLOCK) {
			return errLockBusy
		}
		return err
	}
}

// openGate opens the vault directory itself, whose flock(2) is the gate
// every open passes on its way to the lock file (lockVault): shared for
// readers, exclusive for writers, held only until the lock is taken.
// flock alone favours nobody: readers whose shared locks overlap one
// another kept a waiting writer out for good (six `case search` loops made
// every `case update` give up after --wait). Badger locks its own store
// directory, not this one.
func openGate(dir string) (*os.File, error) {
	return os.Open(dir)
}
