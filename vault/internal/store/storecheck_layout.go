package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	badger "github.com/dgraph-io/badger/v4"
)

// checkStoreEntries refuses a store directory holding anything but regular
// files: Badger writes through names it expects to be its own files (LOCK
// with os.WriteFile, KEYREGISTRY.rewrite with O_TRUNC, DISCARD mmapped
// read-write), so a link, FIFO or directory planted under any name in the
// store would make it write elsewhere or hang (issue 11 attack 05). Badger
// itself creates only regular files there.
func checkStoreEntries(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			return &DamageError{What: "store " + e.Name(), Err: fmt.Errorf("is not a regular file (%s) in the store directory %s", e.Type(), filepath.Base(dir))}
		}
	}
	return nil
}

// keyRegistryHeader is the KEYREGISTRY header: an AES IV and the sealed
// sanity text ("Hello Badger").
const keyRegistryHeader = 16 + 12

// checkKeyRegistryLayout walks the KEYREGISTRY's entries (4-byte length,
// 4-byte CRC, data) and requires every length to fit in what is left of
// the file, before Badger reads it: Badger allocates whatever length the
// file names (up to 4 GiB for 8 bytes appended; issue 11 attack 08).
func checkKeyRegistryLayout(path string) error {
	damaged := func(reason string) error {
		return &DamageError{What: "store " + badger.KeyRegistryFileName, Err: errors.New(reason)}
	}
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
	if size < keyRegistryHeader {
		return damaged("shorter than its header (truncated)")
	}
	var hdr [8]byte
	for off := int64(keyRegistryHeader); off < size; {
		if size-off < 8 {
			return damaged(fmt.Sprintf("ends in the middle of an entry header at byte %d", off))
		}
		if _, err := f.ReadAt(hdr[:], off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		l := int64(binary.BigEndian.Uint32(hdr[:4]))
		if l > size-off-8 {
			return damaged(fmt.Sprintf("entry at byte %d names %d bytes, more than the %d left in the file", off, l, size-off-8))
		}
		off += 8 + l
	}
	return nil
}
