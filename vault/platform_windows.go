package vault

import (
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
