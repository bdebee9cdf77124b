package store

import (
	"crypto/aes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/y"
	"google.golang.org/protobuf/proto"
)

// removeEmptyLogs deletes zero-length memtable (.mem) and value log (.vlog)
// files from a store directory before Badger opens it. A process killed
// between creating such a file and writing its header leaves it empty, and
// Badger v4.9.6 then refuses to open the store (it returns z.NewFile, "Create
// a new file": dgraph-io/badger issue 2207). An empty log holds no entries,
// so removing it loses nothing. Found by TestCrashKill.
func removeEmptyLogs(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(n, ".mem") || strings.HasSuffix(n, ".vlog")) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Size() == 0 {
			// Another reader may have removed it first.
			if err := os.Remove(filepath.Join(dir, n)); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}

// checkTables checks the footer of every table (.sst) of a store before
// Badger opens it: Badger v4.9.6 reads the index through lengths taken from
// the file and panics (in a goroutine of its own, so that no recover can
// help) when a damaged file makes them point outside it. Each table's index
// is also checked against its CRC-32C, which Badger would do next. The
// blocks are checked as they are read (ChecksumVerificationMode
// OnBlockRead, see badgerOptions). Only the tables the MANIFEST names (live,
// from preflightStore) are checked: any other table is one a killed process
// was still writing (Badger names a table in the MANIFEST only once it is
// complete), which Badger deletes when it opens the store. Found by
// TestAuditCrashKilled.
func checkTables(dir string, live map[uint64]bool) error {
	return checkTableFiles(dir, live, true)
}

// checkTableFiles is checkTables; without verifyIndex it checks each
// table's footer, lengths and checksum kind but not the index's checksum,
// which Badger verifies itself before it uses the index (see
// PreflightReader).
func checkTableFiles(dir string, live map[uint64]bool, verifyIndex bool) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	// One buffer holds each table's index in turn: a fresh one per table
	// made a 100,000-case store's open allocate (and fault in) its 14 MiB
	// of indexes once more (issue 14).
	var buf []byte
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".sst") {
			continue
		}
		if id, err := strconv.ParseUint(strings.TrimSuffix(e.Name(), ".sst"), 10, 64); live != nil && (err != nil || !live[id] || e.Name() != tableName(id)) {
			continue // not a table the MANIFEST names: set aside (unlisted.go)
		}
		if err := checkTable(filepath.Join(dir, e.Name()), &buf, verifyIndex); err != nil {
			return &DamageError{What: "store table " + e.Name(), Err: err}
		}
	}
	return nil
}

// maxTableIndex bounds the index of one table (tables are 4 MiB, see
// badgerOptions; their index is a small part of that).
const maxTableIndex = 64 << 20

// checkTable checks one table's footer and index (the index's checksum
// only with verifyIndex); *buf is reused for the index between calls.
func checkTable(path string, buf *[]byte, verifyIndex bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	u32at := func(off int64) (int64, error) {
		var b [4]byte
		if off < 0 || off+4 > size {
			return 0, errors.New("footer points outside the file")
		}
		if _, err := f.ReadAt(b[:], off); err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint32(b[:])), nil
	}
	pos := size - 4
	chkLen, err := u32at(pos)
	if err != nil {
		return err
	}
	pos -= chkLen
	if chkLen > 1024 || pos < 4 {
		return errors.New("bad checksum length in the footer")
	}
	chkBuf := make([]byte, chkLen)
	if _, err := f.ReadAt(chkBuf, pos); err != nil {
		return err
	}
	var chk pb.Checksum
	if err := proto.Unmarshal(chkBuf, &chk); err != nil {
		return fmt.Errorf("footer checksum: %w", err)
	}
	pos -= 4
	idxLen, err := u32at(pos)
	if err != nil {
		return err
	}
	pos -= idxLen
	if idxLen > maxTableIndex || pos < 0 {
		return errors.New("bad index length in the footer")
	}
	// Badger's index is never empty (it names at least the table's first
	// block, and ours is encrypted, with its IV). A table of zeros (what a
	// power loss can leave) has an empty index whose CRC of nothing is 0:
	// it passed the checksum and Badger panicked decrypting it (issue 11,
	// attack 06).
	if idxLen == 0 {
		return errors.New("empty index (the table is zeroed or cut)")
	}
	// Badger decrypts the index (once its checksum matches) taking the
	// IV from its last 16 bytes: a shorter one would panic.
	if idxLen < aes.BlockSize {
		return errors.New("index shorter than its IV")
	}
	if chk.Algo != pb.Checksum_CRC32C && chk.Algo != pb.Checksum_XXHash64 {
		return errors.New("unknown index checksum")
	}
	if !verifyIndex {
		return nil
	}
	if int64(cap(*buf)) < idxLen {
		*buf = make([]byte, idxLen)
	}
	idx := (*buf)[:idxLen]
	if _, err := f.ReadAt(idx, pos); err != nil {
		return err
	}
	if y.CalculateChecksum(idx, chk.Algo) != chk.Sum {
		return errors.New("index checksum mismatch")
	}
	return nil
}

// checkManifest refuses a store whose MANIFEST ends in the middle of an
// entry. Badger v4.9.6 takes such a file as ending at its last whole entry
// and then deletes every table the lost entries named: a damaged MANIFEST
// would silently roll the whole vault back to an older state and destroy
// the newer tables. (A flipped byte inside an entry fails Badger's own
// CRC check.) A kill cannot cut an entry, which Badger appends with one
// write; a power loss in the middle of that write could, and is reported
// as damage too (restore from a backup).
func checkManifest(dir string) error {
	f, err := os.Open(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	damaged := &DamageError{What: "store MANIFEST", Err: errors.New("the file ends in the middle of an entry (truncated or damaged)")}
	if size < 8 {
		return damaged
	}
	pos := int64(8) // magic and version
	var hdr [8]byte
	for pos < size {
		if pos+8 > size {
			return damaged
		}
		if _, err := f.ReadAt(hdr[:], pos); err != nil {
			return err
		}
		pos += 8 + int64(binary.BigEndian.Uint32(hdr[:4]))
		if pos > size {
			return damaged
		}
	}
	return nil
}
