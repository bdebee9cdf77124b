package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4/pb"
)

// Badger v4.9.6 deletes, at every open (read-only ones too: its
// revertToManifest runs before the ReadOnly option is looked at), each
// file of the store directory whose name it parses as a table ID
// (strconv.Atoi of the name before ".sst") that the MANIFEST does not
// name, without a word. Such a file is what a kill during a compaction
// leaves (Badger writes the new table, then the MANIFEST change; or
// changes the MANIFEST, then removes the old table): nothing is lost by
// removing it. But it is also what an older MANIFEST put back by a
// file-level restore leaves (the tables written since) and what someone
// who planted a file there left: deleting those loses data or destroys an
// artefact. A name such as "-1.sst" even stops the process (Badger
// asserts the ID is not negative). So before Badger opens a store, every
// regular file named *.sst that is not the exact name of a table the
// MANIFEST names is moved, bytes untouched, into a directory Badger never
// reads (SECURITY.md, "Tables the MANIFEST does not name").

// setAsideUnlisted moves each regular file of dir named *.sst that is not
// the name of a table in live into aside (made 0700 when missing), never
// replacing a file there: a name taken gets a number ("000012-2.sst"). It
// returns the names the files have in aside. A reader may run it under a
// shared lock: a file another reader moved first is skipped. Links and
// other non-regular entries were refused before (checkStoreEntries).
func setAsideUnlisted(dir, aside string, live map[uint64]*pb.DataKey) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var moved []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".sst") || !e.Type().IsRegular() {
			continue
		}
		if id, err := strconv.ParseUint(strings.TrimSuffix(n, ".sst"), 10, 64); err == nil && n == tableName(id) {
			if _, ok := live[id]; ok {
				continue
			}
		}
		if err := makeAsideDir(aside); err != nil {
			return moved, err
		}
		to, err := moveNoReplace(filepath.Join(dir, n), aside, n)
		if errors.Is(err, fs.ErrNotExist) {
			continue // another reader moved it
		}
		if err != nil {
			return moved, fmt.Errorf("moving table file %s the MANIFEST does not name out of the store: %w", n, err)
		}
		moved = append(moved, to)
	}
	if len(moved) > 0 {
		_ = syncDirectory(dir)
		_ = syncDirectory(aside)
	}
	return moved, nil
}

// makeAsideDir makes the set-aside directory, or checks that what is there
// is a directory and not a link to elsewhere.
func makeAsideDir(aside string) error {
	err := os.Mkdir(aside, 0o700)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(aside)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return notAsideDir(aside, fi)
	}
	return nil
}

// notAsideDir is the damage of a set-aside directory that is not one.
func notAsideDir(aside string, fi fs.FileInfo) error {
	return &DamageError{What: "vault " + filepath.Base(aside), Err: fmt.Errorf("is not a directory (%s): tables the MANIFEST does not name cannot be set aside there", fi.Mode().Type())}
}

// moveNoReplace moves the regular file from into dir under name (or name
// with a number when taken) without replacing anything, and returns the
// name it got. A hard link and the removal of from never replace a file;
// where links are not possible (some file systems), a rename after checking
// the name is free.
func moveNoReplace(from, dir, name string) (string, error) {
	fi, err := os.Lstat(from)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("is not a regular file (%s)", fi.Mode().Type())
	}
	base := strings.TrimSuffix(name, ".sst")
	for i := 1; i <= 1000; i++ {
		to := name
		if i > 1 {
			to = base + "-" + strconv.Itoa(i) + ".sst"
		}
		p := filepath.Join(dir, to)
		err := os.Link(from, p)
		if err == nil {
			if err := os.Remove(from); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
			return to, nil
		}
		if errors.Is(err, fs.ErrExist) {
			if dfi, derr := os.Lstat(p); derr == nil && os.SameFile(fi, dfi) {
				// Another reader linked it first: finish its move.
				if err := os.Remove(from); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return "", err
				}
				return to, nil
			}
			continue
		}
		if _, lerr := os.Lstat(from); errors.Is(lerr, fs.ErrNotExist) {
			return "", lerr
		}
		// No hard links here: rename to a name that is free.
		if _, serr := os.Lstat(p); serr == nil {
			continue
		} else if !errors.Is(serr, fs.ErrNotExist) {
			return "", serr
		}
		if err := os.Rename(from, p); err != nil {
			return "", err
		}
		return to, nil
	}
	return "", fmt.Errorf("no free name for it in %s", dir)
}

// syncDirectory makes a directory's entries durable (best effort: not
// every system syncs directories).
func syncDirectory(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ListSetAside lists the files in the set-aside directory aside, sorted
// (none when it does not exist); check reports them.
func ListSetAside(aside string) ([]string, error) {
	// Not through a link planted in its place: its target's files are no
	// tables of this store, and an open refuses it (makeAsideDir).
	fi, err := os.Lstat(aside)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, notAsideDir(aside, fi)
	}
	ents, err := os.ReadDir(aside)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// PreflightSetAside is Preflight that also moves the table files the
// MANIFEST does not name into aside before Badger would delete them (see
// setAsideUnlisted); it returns their names there.
func PreflightSetAside(path string, key []byte, aside string) ([]string, error) {
	return preflight(path, key, aside)
}
