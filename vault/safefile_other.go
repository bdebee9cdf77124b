//go:build !unix && !windows

package vault

import "os"

const openNoFollow = 0

func privateRegular(fi os.FileInfo) bool { return fi.Mode().IsRegular() }
