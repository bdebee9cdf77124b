package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
)

// vlogHeaderSize is the header of every Badger log file (.vlog, .mem):
// the data key ID (8 bytes) and the base IV (12).
const vlogHeaderSize = 20

// preflightStore checks, reading only, that the store directory dir is
// whole before Badger opens it: Badger v4.9.6 recreates a missing
// KEYREGISTRY or MANIFEST as empty (and then deletes every table the lost
// MANIFEST named), panics in a goroutine of its own on a table it cannot
// decrypt, and creates files in a store it then refuses. A store that
// fails is damage (exit 8) and is never opened, so it is never written
// (SECURITY.md, "Damaged stores are never written"). A missing dir is not
// checked: Init creates its store. It returns the tables the MANIFEST
// names, each with its data key (nil without a store directory), read once
// for checkTableFiles too.
func preflightStore(dir string, key []byte) (live map[uint64]*pb.DataKey, err error) {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	damaged := func(what string, err error) error { return &DamageError{What: "store " + what, Err: err} }
	if !st.IsDir() {
		return nil, damaged("directory", errors.New("is not a directory"))
	}
	for _, name := range []string{"MANIFEST", badger.KeyRegistryFileName} {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, damaged(name, errors.New("the file is missing"))
		}
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, damaged(name, errors.New("is not a regular file"))
		}
	}
	if err := checkStoreEntries(dir); err != nil {
		return nil, err
	}
	if err := checkKeyRegistryLayout(filepath.Join(dir, badger.KeyRegistryFileName)); err != nil {
		return nil, err
	}
	if err := checkManifest(dir); err != nil {
		return nil, err
	}
	m, kr, err := manifestAndKeys(dir, key)
	if err != nil {
		return nil, err
	}
	defer kr.Close()
	live = make(map[uint64]*pb.DataKey, len(m.Tables))
	for id, t := range m.Tables {
		name := tableName(id)
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() {
			return nil, damaged("table "+name, errors.New("a table the MANIFEST names is missing"))
		}
		dk, err := kr.DataKey(t.KeyID)
		if err != nil {
			return nil, damaged(badger.KeyRegistryFileName, fmt.Errorf("has no key for table %s", name))
		}
		live[id] = dk
	}
	// Log files: each must be empty or have its header and a known data
	// key. A missing value log cannot be
	// told from one Badger deleted itself (it removes logs whose entries
	// are all in tables, so their numbers have gaps); values up to 64 KiB
	// live in the tables (badgerOptions), and a larger value whose log is
	// gone is reported by check as a record that does not open.
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ids := map[string][]uint64{}
	names := map[string]string{}
	for _, e := range ents {
		n := e.Name()
		ext := filepath.Ext(n)
		if ext != ".vlog" && ext != ".mem" {
			continue
		}
		id, err := strconv.ParseUint(strings.TrimSuffix(n, ext), 10, 32)
		if err != nil {
			continue
		}
		if !e.Type().IsRegular() {
			return nil, damaged("log "+n, errors.New("is not a regular file"))
		}
		ids[ext] = append(ids[ext], id)
		names[ext+strconv.FormatUint(id, 10)] = n
	}
	for ext, list := range ids {
		slices.Sort(list)
		for _, id := range list {
			n := names[ext+strconv.FormatUint(id, 10)]
			p := filepath.Join(dir, n)
			fi, err := os.Stat(p)
			if err != nil {
				return nil, damaged("log "+n, err)
			}
			if fi.Size() == 0 {
				// An empty log holds no entries: the newest one is a kill
				// right after it was created, an older one a kill inside
				// Badger's own removal of a log it no longer needs
				// (truncate, close, remove; issue 11 attack 11).
				// removeEmptyLogs removes it.
				continue
			}
			if fi.Size() < vlogHeaderSize {
				return nil, damaged("log "+n, errors.New("shorter than its header (truncated)"))
			}
			hdr, err := readAtMost(p, 8)
			if err != nil {
				return nil, err
			}
			if _, err := kr.DataKey(binary.BigEndian.Uint64(hdr)); err != nil {
				return nil, damaged("log "+n, errors.New("names a data key the key registry does not hold"))
			}
		}
	}
	return live, nil
}

// manifestAndKeys reads the store's MANIFEST and opens its key registry
// (read-only), a failure of either being damage naming the file. The
// caller closes the registry.
func manifestAndKeys(dir string, key []byte) (badger.Manifest, *badger.KeyRegistry, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		return badger.Manifest{}, nil, err
	}
	m, _, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions(dir).WithLogger(nil))
	f.Close()
	if err != nil {
		return badger.Manifest{}, nil, &DamageError{What: "store MANIFEST", Err: err}
	}
	kr, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: dir, ReadOnly: true, EncryptionKey: key,
		EncryptionKeyRotationDuration: 10 * 24 * time.Hour})
	if err != nil {
		return badger.Manifest{}, nil, &DamageError{What: "store " + badger.KeyRegistryFileName, Err: err}
	}
	return m, kr, nil
}

func readAtMost(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	_, err = f.ReadAt(b, 0)
	return b, err
}

// openBadger is badger.Open that turns a panic in the opening goroutine
// into damage.
func openBadger(bo badger.Options) (db *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, &DamageError{What: "store", Err: fmt.Errorf("the store could not be read: %v", firstLine(fmt.Sprint(r)))}
		}
	}()
	return badger.Open(bo)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
