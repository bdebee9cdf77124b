package store

import (
	"errors"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// DamageError reports a store file that is damaged; the vault reports it
// as its CorruptError.
type DamageError struct {
	What string
	Err  error
}

func (e *DamageError) Error() string { return e.What + ": " + e.Err.Error() }
func (e *DamageError) Unwrap() error { return e.Err }

// Options of Open.
type Options struct {
	// ReadOnly opens the store for reading only (under a shared lock
	// held by the caller).
	ReadOnly bool
	// NoSyncWrites leaves writes in the OS cache until Sync or Close
	// (rekey, which syncs before its commit point).
	NoSyncWrites bool
	// Exclusive, for a ReadOnly open, is called when Badger must replay
	// a killed writer's log first: it swaps the caller's shared lock for
	// the exclusive one around replay and takes the shared one again.
	// Without it such a store does not open for reading.
	Exclusive func(replay func() error) error
	// BulkWrite opens a writer with the options of a large import
	// (bulkWriteOptions); ignored with ReadOnly.
	BulkWrite bool
}

// badgerOptions are sized for a command-line tool: small caches, 32 MiB
// memtables (Badger refuses a transaction of more than 15 % of its
// memtable, and as many entries as that over 96 bytes: 55,000 entries
// here, so that a case with tens of thousands of distinct words, each a
// posting and a vocabulary record, can be added, replaced and removed in
// one transaction, by an import too; every writer must use the same size,
// as Badger replays a killed writer's memtable log into a memtable of the
// open's size and ends the process when it does not fit), no logging,
// values kept in the LSM tree up to 64 KiB, and synchronous writes so an
// acknowledged change survives a crash. Badger's block compression is off:
// every value is a sealed record, which does not compress (revisions are
// compressed before sealing, see compress.go).
// Tables are BaseTableSize on every level (a TableSizeMultiplier of 1, not
// Badger's 2): Badger builds each table in memory, up to a dozen at once
// in a compaction, so tables that grew with the level made a large
// import's memory grow with the store.
func badgerOptions(path string, k []byte) badger.Options {
	o := badger.DefaultOptions(path)
	o.TableSizeMultiplier = 1
	return o.
		WithLogger(nil).
		WithEncryptionKey(k).
		WithIndexCacheSize(4 << 20).
		WithBlockCacheSize(4 << 20).
		WithMemTableSize(32 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(3).
		WithNumLevelZeroTablesStall(8).
		WithBaseTableSize(4 << 20).
		WithBlockSize(tableBlockSize).
		WithValueLogFileSize(64 << 20).
		WithValueThreshold(64 << 10).
		WithNumCompactors(2).
		WithSyncWrites(true).
		WithCompression(options.None).
		WithMetricsEnabled(false).
		WithDetectConflicts(false).
		WithChecksumVerificationMode(options.OnBlockRead).
		// A value-log entry is checked against its CRC before Badger
		// decodes its header: a damaged header made Badger return
		// "Invalid read" without releasing the log's read lock, and
		// Close then hung forever (issue 11 attack 07).
		WithVerifyValueChecksum(true)
}

// Preflight checks and repairs a store directory before it is opened:
// the checks of preflightStore (which reads the MANIFEST once, for its
// checks and the tables it names), empty logs a killed process left
// (removeEmptyLogs), table footers, indexes and last blocks
// (checkTableFiles) and the MANIFEST's end (checkManifest, in
// preflightStore). Damage is a *DamageError.
func Preflight(path string, key []byte) error {
	_, err := preflight(path, key, "")
	return err
}

// preflight runs the checks; with aside, it first moves the table files
// the MANIFEST does not name there (PreflightSetAside) and returns their
// names.
func preflight(path string, key []byte, aside string) ([]string, error) {
	live, err := preflightStore(path, key)
	if err != nil {
		return nil, err
	}
	if err := removeEmptyLogs(path); err != nil {
		return nil, err
	}
	if err := checkTableFiles(path, live); err != nil {
		return nil, err
	}
	// Last: a store found damaged above is left as it is.
	if aside == "" || live == nil {
		return nil, nil
	}
	return setAsideUnlisted(path, aside, live)
}

// Open opens (or creates) the store in path with Badger key key. It
// returns ErrLocked when another process holds the store, a *DamageError
// for a store that cannot be read, and Badger's error otherwise (the caller
// tells a full disk or a permission problem from damage).
func Open(path string, key []byte, o Options) (*DB, error) {
	bo := badgerOptions(path, key)
	if o.NoSyncWrites {
		bo = bo.WithSyncWrites(false)
	}
	if o.BulkWrite && !o.ReadOnly {
		bo = bulkWriteOptions(bo)
	}
	if o.ReadOnly {
		bo = readOnlyBadger(bo)
	}
	db, err := openBadger(bo)
	if err != nil && bo.ReadOnly && isTruncateNeeded(err) {
		// Replay writes: the whole check first, whatever the caller ran.
		if perr := Preflight(path, key); perr != nil {
			return nil, perr
		}
		db, err = replayForReader(bo, o.Exclusive)
		var le *exclusiveError
		if errors.As(err, &le) {
			// The caller's locking failed, or it refused the replay:
			// nothing of the store was read to name.
			return nil, le.err
		}
	}
	if err != nil && bo.ReadOnly && !isTruncateNeeded(err) && !strings.Contains(err.Error(), "Cannot acquire directory lock") {
		// Damage Badger refused: name it as Preflight does.
		var de *DamageError
		if perr := Preflight(path, key); errors.As(perr, &de) {
			return nil, perr
		}
	}
	if err != nil {
		var de *DamageError
		switch {
		case errors.As(err, &de):
			return nil, err
		case strings.Contains(err.Error(), "Cannot acquire directory lock"):
			return nil, ErrLocked
		case errors.Is(err, badger.ErrEncryptionKeyMismatch):
			return nil, &DamageError{What: "store key registry", Err: err}
		case strings.Contains(err.Error(), "Level validation"):
			return nil, levelDamage(err)
		}
		return nil, err
	}
	return &DB{db}, nil
}

// KeyRegistryFileName is the name of Badger's key registry in a store.
const KeyRegistryFileName = badger.KeyRegistryFileName
