package vault

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// freeSpace returns the bytes available to this user on dir's volume.
func freeSpace(dir string) (int64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, err
	}
	return int64(avail), nil
}

// canSyncDir is false on Windows: FlushFileBuffers on a directory needs a
// handle opened for writing, which os.Open does not give, and NTFS records
// a rename in its metadata journal. MoveFileEx (os.Rename) replaces the
// target in one step; the file's data was flushed before the rename.
const canSyncDir = false

// openForOverwrite opens an existing file for writing with FILE_SHARE_DELETE,
// so that the rename that replaces it is not refused while it is open (Go's
// os.OpenFile does not share delete access).
func openForOverwrite(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, windows.ERROR_PATH_NOT_FOUND) {
			return nil, &os.PathError{Op: "open", Path: path, Err: os.ErrNotExist}
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
