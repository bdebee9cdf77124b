//go:build !unix && !windows

package atomicfile

import (
	"io/fs"
	"os"
)

func createExcl(name string, mode fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode.Perm())
}

func placeNew(tmp, path string, _ bool) error { return claimAndRename(tmp, path) }

func privateRegular(fi os.FileInfo) bool { return fi.Mode().IsRegular() }

func openForOverwrite(path string) (*os.File, error) { return os.OpenFile(path, os.O_WRONLY, 0) }

func syncDir(string) error { return nil }
