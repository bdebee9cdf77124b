package vault

import (
	"math"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// readOnlyBadger makes bo open the store for reading only. Badger rotates
// its data key when the newest is older than EncryptionKeyRotationDuration
// (10 days), and writing the new key fails in a read-only open ("invalid
// argument", through log.Fatalf): a reader never rotates (issue 11 attack
// 04). Writers keep Badger's 10 days.
func readOnlyBadger(bo badger.Options) badger.Options {
	return bo.WithReadOnly(true).WithEncryptionKeyRotationDuration(time.Duration(math.MaxInt64))
}

// replayForReader opens the store for a reader when Badger needs to write
// first: a writer killed (SIGKILL, power loss) leaves its memtable log,
// which only a read-write open replays and truncates (Badger's
// ErrTruncateNeeded, issue 11 attack 13). The store passed the pre-check
// (openDB), so it is not damaged: the reader lets go of its shared lock,
// takes the exclusive one (waiting at most Options.Wait), opens the store
// for writing once so that Badger replays the log, closes it, and opens it
// for reading again under a shared lock.
func (v *Vault) replayForReader(bo badger.Options) (*badger.DB, error) {
	if v.lock == nil {
		return nil, badger.ErrTruncateNeeded
	}
	v.lock.Close()
	v.lock = nil
	lk, err := lockVault(v.dir, false, v.opts.Wait)
	if err != nil {
		return nil, err
	}
	wbo := bo.WithReadOnly(false).WithEncryptionKeyRotationDuration(badgerOptions("", v.keys.badger).EncryptionKeyRotationDuration)
	wdb, err := openBadger(wbo)
	if err == nil {
		err = wdb.Close()
	}
	lk.Close()
	if err != nil {
		return nil, err
	}
	if v.lock, err = lockVault(v.dir, true, v.opts.Wait); err != nil {
		return nil, err
	}
	db, err := openBadger(bo)
	if err != nil && isTruncateNeeded(err) {
		// Another writer was killed in between: once is enough here.
		return nil, err
	}
	return db, err
}

// isTruncateNeeded reports Badger's ErrTruncateNeeded, which Badger wraps
// with fmt-style messages that keep only its text.
func isTruncateNeeded(err error) bool {
	return strings.Contains(err.Error(), badger.ErrTruncateNeeded.Error())
}
