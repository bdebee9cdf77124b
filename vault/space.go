package vault

import (
	"fmt"
	"strings"
	"syscall"
)

// minFreeSpace is the free space, in bytes, below which the vault refuses
// to change. Badger writes its memtable log and the tables it flushes
// through memory-mapped files: on a full file system a write into such a
// file is not an error but a SIGBUS that kills the process. Its memtable is
// 32 MiB (see badgerOptions), so a flush at close can need that much on top
// of the change itself.
const minFreeSpace = 64 << 20

// DiskFullError reports that the vault's file system has too little free
// space for a change. Nothing was written.
type DiskFullError struct {
	Dir        string
	Free, Need int64
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("not enough free disk space for the vault in %s: %d MiB free, a change needs at least %d MiB (nothing was written)",
		e.Dir, e.Free>>20, e.Need>>20)
}

// checkSpace refuses a change when the vault's file system has less than
// extra+minFreeSpace bytes free. An unknown amount (statfs failing) is let
// through: the write itself will tell.
func (v *Vault) checkSpace(extra int64) error {
	free, err := freeSpace(v.dir)
	if err != nil {
		return nil
	}
	if need := extra + minFreeSpace; free < need {
		return &DiskFullError{Dir: v.dir, Free: free, Need: need}
	}
	return nil
}

// isEnvironmentError reports whether err (as Badger returns it, often
// flattened to text) is a full or read-only disk or a permission problem
// rather than damage.
func isEnvironmentError(err error) bool {
	s := err.Error()
	for _, m := range []string{syscall.ENOSPC.Error(), syscall.EROFS.Error(), syscall.EACCES.Error(), syscall.EPERM.Error()} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
