//go:build windows

package vault

import "os"

// openNoFollow: Windows has no O_NOFOLLOW; the Lstat check before opening
// (privateRegular) refuses links and other reparse points, which Go
// reports as ModeSymlink or ModeIrregular.
const openNoFollow = 0

// privateRegular reports whether fi is a plain regular file (no symbolic
// link, junction or other reparse point).
func privateRegular(fi os.FileInfo) bool {
	return fi.Mode().IsRegular() && fi.Mode()&(os.ModeSymlink|os.ModeIrregular) == 0
}
