//go:build !unix

package evidence

import "os"

// openBlobFlags: Windows has no FIFOs in a directory; a link in a blob's
// place is refused by the Lstat in openBlob.
const openBlobFlags = os.O_RDONLY
