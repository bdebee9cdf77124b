package store

import (
	"crypto/aes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4/fb"
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

// checkTableFiles checks every table (.sst) of a store before Badger opens
// it, in this goroutine: Badger v4.9.6 opens the tables in goroutines of
// its own (three at a time), where no recover can help, and
//   - reads the index through lengths taken from the file, and panics when
//     a damaged file makes them point outside it;
//   - reads the last block (its biggest key) and panics when damaged bytes
//     there make the block's own lengths point outside it;
//   - on an error from one table (a damaged index or block checksum),
//     returns at once and closes its caches while the other goroutines
//     still open tables: one of them then panics with "send on closed
//     channel" (found as a flaky TestBadInputs/damaged_store_files).
//
// So each table's footer and lengths are checked, its index against its
// checksum, and its last block against its own (checkTable): a table
// Badger would fail to open is refused as damage first, for readers too.
// The other blocks are checked as they are read (ChecksumVerificationMode
// OnBlockRead, see badgerOptions), in the reading goroutine. Only the
// tables the MANIFEST names (live, from preflightStore, with their data
// keys) are checked: any other table is one a killed process was still
// writing (Badger names a table in the MANIFEST only once it is complete),
// which is set aside (unlisted.go). Found by TestAuditCrashKilled.
func checkTableFiles(dir string, live map[uint64]*pb.DataKey) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	// One set of buffers serves each table in turn: a fresh one per table
	// made a 100,000-case store's open allocate (and fault in) its 14 MiB
	// of indexes once more (issue 14).
	var bufs tableBufs
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".sst") {
			continue
		}
		id, err := strconv.ParseUint(strings.TrimSuffix(e.Name(), ".sst"), 10, 64)
		dk, ok := live[id]
		if err != nil || !ok || e.Name() != tableName(id) {
			continue // not a table the MANIFEST names: set aside (unlisted.go)
		}
		if err := checkTable(filepath.Join(dir, e.Name()), &bufs, dk); err != nil {
			return &DamageError{What: "store table " + e.Name(), Err: err}
		}
	}
	return nil
}

// maxTableIndex bounds the index of one table (tables are 4 MiB, see
// badgerOptions; their index is a small part of that).
const maxTableIndex = 64 << 20

// tableBufs are checkTable's buffers, reused from one table to the next.
type tableBufs struct{ index, plain, block []byte }

// grow returns (*b)[:n], reallocated when too small.
func grow(b *[]byte, n int64) []byte {
	*b = slices.Grow((*b)[:0], int(n))[:n]
	return *b
}

// checkTable checks one table's footer, its index against its checksum
// and the last block the index names, as Badger reads them when it opens
// the table (checkLastBlock); dk is the table's data key (nil for a table
// stored in the clear).
func checkTable(path string, bufs *tableBufs, dk *pb.DataKey) error {
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
	idx := grow(&bufs.index, idxLen)
	if _, err := f.ReadAt(idx, pos); err != nil {
		return err
	}
	if y.CalculateChecksum(idx, chk.Algo) != chk.Sum {
		return errors.New("index checksum mismatch")
	}
	return checkLastBlock(f, pos, idx, dk, bufs)
}

// checkLastBlock checks a table whose index (idx, checksum verified,
// starting at idxStart) is given, as Badger reads it when it opens the
// table (table.initIndex, initBiggestAndSmallest): every field of the
// index, its first and last block in their places, then the last block's
// checksum length, checksum and entry count, and the checksum itself. The index is parsed under recover: its checksum matching does
// not make it Badger's.
func checkLastBlock(f *os.File, idxStart int64, idx []byte, dk *pb.DataKey, bufs *tableBufs) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("index does not parse: %v", r)
		}
	}()
	plain := idx
	if dk != nil {
		plain = grow(&bufs.plain, int64(len(idx)-aes.BlockSize))
		if err := y.XORBlock(plain, idx[:len(plain)], dk.Data, idx[len(plain):]); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	ti := fb.GetRootAsTableIndex(plain, 0)
	// Every field Badger reads when it opens the table (initIndex), here
	// where a panic is recovered: an index edited with its checksum made
	// again (a CRC-32C of the encrypted bytes, which anyone can compute)
	// passed the checksum and made Badger's goroutine panic on the bloom
	// filter's length (found by session 15's attack).
	_ = len(ti.BloomFilterBytes()) + ti.BloomFilterLength()
	_ = ti.MaxVersion() + uint64(ti.KeyCount()) + uint64(ti.UncompressedSize()) + uint64(ti.OnDiskSize()) + uint64(ti.StaleDataSize())
	n := ti.OffsetsLength()
	if n == 0 {
		return errors.New("index names no block")
	}
	least := int64(8) // checksum length and entry count
	if dk != nil {
		least += aes.BlockSize // and the IV
	}
	// Badger reads the first block's key and the last block when it opens
	// the table. It writes the blocks one after the other from the
	// table's start, the index right after the last, so the first block
	// starts at 0 and the last ends where the index starts. (The blocks
	// between are looked up as they are read, in the reading goroutine,
	// where a block whose place is wrong fails its checksum; walking every
	// entry here doubled the check's time, 1.5 ms more at 100,000 cases.)
	var bo fb.BlockOffset
	if !ti.Offsets(&bo, 0) {
		return errors.New("index names no block")
	}
	_ = bo.KeyBytes()
	if bo.Offset() != 0 {
		return fmt.Errorf("the first block starts at %d, not at the table's start", bo.Offset())
	}
	if !ti.Offsets(&bo, n-1) {
		return errors.New("index names no last block")
	}
	_ = bo.KeyBytes()
	off, ln := int64(bo.Offset()), int64(bo.Len())
	if ln < least || off+ln != idxStart {
		return fmt.Errorf("the last block (%d bytes at %d) does not end where the index starts (%d)", ln, off, idxStart)
	}
	blk := grow(&bufs.block, ln)
	if _, err := f.ReadAt(blk, off); err != nil {
		return err
	}
	if dk != nil {
		data := blk[:len(blk)-aes.BlockSize]
		if err := y.XORBlock(data, data, dk.Data, blk[len(data):]); err != nil {
			return fmt.Errorf("last block: %w", err)
		}
		blk = data
	}
	// Badger's layout: entries, entry offsets (4 bytes each), entry count
	// (4), checksum, checksum length (4); the checksum covers all before it.
	end := int64(len(blk)) - 4
	chkLen := int64(binary.BigEndian.Uint32(blk[end:]))
	if chkLen > end-4 {
		return errors.New("the last block's checksum length is damaged")
	}
	end -= chkLen
	var chk pb.Checksum
	if err := proto.Unmarshal(blk[end:end+chkLen], &chk); err != nil {
		return fmt.Errorf("the last block's checksum: %w", err)
	}
	if err := y.VerifyChecksum(blk[:end], &chk); err != nil {
		return fmt.Errorf("the last block: %w", err)
	}
	// Whole: the entry count can be trusted no more than Badger does, so
	// it is bounded too.
	if count := int64(binary.BigEndian.Uint32(blk[end-4:])); count*4 > end-4 {
		return errors.New("the last block's entry count is damaged")
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
