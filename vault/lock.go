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
	f, gate, err := lockVaultGate(dir, shared, wait)
	if gate != nil {
		gate.Close()
	}
	return f, err
}

// lockVaultGate is lockVault that returns the gate still held (nil where
// there is none) for the caller to let go of.
func lockVaultGate(dir string, shared bool, wait time.Duration) (lock, gate *os.File, err error) {
	// Never through a link planted under the lock file's name (it would
	// create or lock a file elsewhere).
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE|openNoFollow, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the lock file %s: %w", filepath.Join(dir, lockFile), err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("the lock file %s is not a regular file", filepath.Join(dir, lockFile))
	}
	shared = shared && sharedReads
	deadline := time.Now().Add(wait)
	// The gate first (see openGate): a writer holding it keeps new readers
	// out while it waits for the readers already in, so that readers
	// following one another never keep a writer out until it gives up.
	// Both let go of it once they hold the lock (lockVault).
	gate, err = openGate(dir)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	if gate != nil {
		if err := waitLock(gate, shared, deadline); err != nil {
			gate.Close()
			f.Close()
			return nil, nil, lockError(dir, err)
		}
	}
	if err := waitLock(f, shared, deadline); err != nil {
		if gate != nil {
			gate.Close()
		}
		f.Close()
		return nil, nil, lockError(dir, err)
	}
	return f, gate, nil
}

// replayLocked runs replay (a reader's replay of a killed writer's log,
// which writes) under the exclusive lock and returns the shared lock,
// taken without letting any other open in between: a writer that got in
// there could change the vault under the reader, and a rekey did — the
// reader then opened the store it had unlocked, shredded meanwhile, and
// reported the vault damaged ("vault meta: missing", exit 8). The gate,
// held exclusively throughout, keeps every other open out while the lock
// goes from exclusive to shared. Where there is no gate (every open is
// exclusive), the exclusive lock is kept.
func replayLocked(dir string, wait time.Duration, replay func() error) (*os.File, error) {
	f, gate, err := lockVaultGate(dir, false, wait)
	if err != nil {
		return nil, err
	}
	if gate != nil {
		defer gate.Close()
	}
	if err := replay(); err != nil {
		f.Close()
		return nil, err
	}
	if gate == nil {
		return f, nil
	}
	if err := waitLock(f, true, time.Now().Add(wait)); err != nil {
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
