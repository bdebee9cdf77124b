package vault

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/vault/internal/errs"
)

// ErrStaleStaffKey is returned to a staff member whose wrap file
// (staff/ID.age) is not the one the owner last wrote for the current
// store: from before a rekey, or replaced. It is not store damage: the
// owner's next read-write open rewrites it.
var ErrStaleStaffKey = errs.New(errs.ErrAuth, "is out of date or replaced: the owner's next read-write open of the vault rewrites it")

// staleWrap is ErrStaleStaffKey for the member id, with why.
func staleWrap(file string, why error) error {
	return fmt.Errorf("staff key file %s %w (%v)", filepath.Join(staffDir, file), ErrStaleStaffKey, why)
}

// wrapFileIs reports whether the wrap file at path is a regular file
// whose SHA-256 is sum (hex), the one the owner last wrote. An empty sum
// (a record written before sums were kept) never matches: the wrap is
// rewritten once.
func wrapFileIs(path, sum string) bool {
	if sum == "" {
		return false
	}
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	b, err := readSmallFile(path, maxWrapFile)
	if err != nil {
		return false
	}
	got := sha256.Sum256(b)
	return hex.EncodeToString(got[:]) == sum
}

// staffWrapSuperseded reports, for a member whose wrap names a store that
// is not in the vault, whether the vault holds a store of a later
// generation bound by the organisation the wrap names: the wrap is this
// vault's, from before a rekey. A wrap from another vault (another
// organisation's key) is not: that stays damage.
func (v *Vault) staffWrapSuperseded() bool {
	names, err := storeNames(v.dir)
	if err != nil {
		return false
	}
	for _, n := range names {
		b, err := readBinding(v.dir, n, []ed25519.PublicKey{v.staff.orgVerifyKey})
		if err == nil && b.Store == n && b.Generation > v.staff.wrap.Generation {
			return true
		}
	}
	return false
}
