package store

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
	return readerCaches(bo.WithReadOnly(true).WithEncryptionKeyRotationDuration(time.Duration(math.MaxInt64)))
}

// readerIndexCache bounds the cache of decrypted table indexes of a
// read-only open. Badger decrypts a table's index when it opens the table
// and again whenever the index is not in this cache; the store's indexes
// are about 5 % of its tables (14 MiB at 100,000 cases), so the writers'
// 4 MiB (badgerOptions) made every reader decrypt most of them two to four
// times per command (issue 14: 9 ms of a 100,000-case search's open). The
// memory is only what the indexes read take, and at most this bound, so a
// broad search of a larger store does not hold more; writers keep 4 MiB,
// since a large import's memory is bounded by the batch. 32 MiB, not 16:
// the indexes of 1,000,000 generated cases are 22.7 MB (432 tables), and
// with 16 MiB a one-hit search decrypted many twice (StaleDataSize, as
// the store opens, re-reads each index; 11 % of the command's CPU). With
// 32 MiB (2-core EPYC, 15 interleaved runs): a one-hit search 130 → 110 ms
// wall and 150 → 120 ms CPU (medians), a search with no hit 130 → 100 ms,
// peak RSS 104 → 97 MiB.
const readerIndexCache = 32 << 20

// readerBlockCache bounds the cache of decrypted table blocks of a
// read-only open. A search reads each hit's summary by key, and each read
// decrypts the 16 KiB block that holds it unless the block is cached: the
// 29 MiB of summaries of 100,000 cases are about 1,800 blocks, so with the
// writers' 4 MiB the 2,365 hits of `case search Yablonskaya` decrypted
// ~2,300 blocks for ~1,300 distinct ones. With 32 MiB (2-core Xeon, whole
// commands beside a niced import): that search 112 → 95 ms CPU and
// 120 → 100 ms wall (medians of 8 interleaved runs), peak RSS 87 → 103 MiB;
// all 75,591 hits of `colony` 800 → 630 ms CPU (one run each); one hit, a
// prefix, two words and `case list --article 207.3 --region Moscow`
// unchanged (medians of 5). Like the index cache it holds only what was
// read, up to the bound.
const readerBlockCache = 32 << 20

// readerCaches sizes Badger's caches for a short read-only command.
func readerCaches(bo badger.Options) badger.Options {
	return bo.WithIndexCacheSize(readerIndexCache).WithBlockCacheSize(readerBlockCache)
}

// replayForReader opens the store for a reader when Badger needs to write
// first: a writer killed (SIGKILL, power loss) leaves its memtable log,
// which only a read-write open replays and truncates (Badger's
// ErrTruncateNeeded, issue 11 attack 13). The store passed the pre-check
// (Preflight), so it is not damaged: exclusive (the caller's) lets go of
// the shared lock and takes the exclusive one (waiting at most the
// caller's limit) around replay, which opens the store for writing once so
// that Badger replays the log and closes it; exclusive then takes the
// shared lock again, and the store is opened for reading again.
func replayForReader(bo badger.Options, exclusive func(replay func() error) error) (*badger.DB, error) {
	if exclusive == nil {
		return nil, badger.ErrTruncateNeeded
	}
	wbo := bo.WithReadOnly(false).WithEncryptionKeyRotationDuration(badger.DefaultOptions("").EncryptionKeyRotationDuration)
	var replayErr error
	replayed := false
	err := exclusive(func() error {
		replayed = true
		wdb, err := openBadger(wbo)
		if err == nil {
			err = wdb.Close()
		}
		replayErr = err
		return err
	})
	if err != nil {
		if !replayed || err != replayErr {
			return nil, &exclusiveError{err}
		}
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

// exclusiveError is an error of the caller's exclusive itself (its
// locking, or its refusal to replay), not of Badger's replay.
type exclusiveError struct{ err error }

func (e *exclusiveError) Error() string { return e.err.Error() }
func (e *exclusiveError) Unwrap() error { return e.err }
