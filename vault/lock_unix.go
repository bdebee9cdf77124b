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
