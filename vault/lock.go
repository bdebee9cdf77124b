package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// errLockBusy is returned by tryLock when another process holds a lock
// that conflicts with the one asked for.
var errLockBusy = errors.New("lock held by another process")

// lockPoll is how often a waiting open tries the lock again.
const lockPoll = 50 * time.Millisecond

// lockVault takes the vault's lock file: shared for a read-only open
// (several readers at once), exclusive otherwise. While another process
// holds a conflicting lock it tries again until wait has passed, then
// returns ErrInUse. Where the platform cannot share the store between
// readers (see sharedReads), every open is exclusive.
func lockVault(dir string, shared bool, wait time.Duration) (*os.File, error) {
	// Never through a link planted under the lock file's name (it would
	// create or lock a file elsewhere).
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE|openNoFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock file %s: %w", filepath.Join(dir, lockFile), err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("the lock file %s is not a regular file", filepath.Join(dir, lockFile))
	}
	shared = shared && sharedReads
	deadline := time.Now().Add(wait)
	// The gate first (see openGate): a writer holding it keeps new readers
	// out while it waits for the readers already in, so that readers
	// following one another never keep a writer out until it gives up.
	// Both let go of it once they hold the lock.
	gate, err := openGate(dir)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	if gate != nil {
		defer gate.Close()
		if err := waitLock(gate, shared, deadline); err != nil {
			f.Close()
			return nil, lockError(dir, err)
		}
	}
	if err := waitLock(f, shared, deadline); err != nil {
		f.Close()
		return nil, lockError(dir, err)
	}
	return f, nil
}

// waitLock takes a shared or exclusive lock on f, trying again every
// lockPoll while another process holds a conflicting one, until deadline.
func waitLock(f *os.File, shared bool, deadline time.Time) error {
	for {
		err := tryLock(f, shared)
		if !errors.Is(err, errLockBusy) {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return ErrInUse
		}
		time.Sleep(min(left, lockPoll))
	}
}

func lockError(dir string, err error) error {
	if errors.Is(err, ErrInUse) {
		return ErrInUse
	}
	return fmt.Errorf("locking %s: %w", dir, err)
}
