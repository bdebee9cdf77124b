package vault

import (
	"crypto/ed25519"
	"fmt"

	"github.com/casevault/casevault/vault/internal/errs"
)

// ErrRollback marks a store master.age names that is older than another
// store of the vault: an older copy of master.age and its store planted
// back (or restored by hand) beside the current one.
var ErrRollback = errs.New(errs.ErrDamaged, "rolled back store")

// checkRollback refuses to open the store master.age names when another
// store directory beside it holds a binding of this vault (signed by its
// identity, current or previous) that has been the vault and is not older:
// the next open would otherwise shred the newer store as a leftover
// (issue 11, attack 01). A leftover of an interrupted rekey, purge or
// rotation is either older (after the commit point) or was never the vault
// (before it: its binding is not committed). Version 1 bindings (before
// generations) are generation 0 and were never marked committed.
//
// It also marks the open store's binding committed when master.age names
// it and it is not yet (a rekey stopped between its commit point and the
// mark).
func (v *Vault) checkRollback() error {
	names, err := storeNames(v.dir)
	if err != nil {
		return err
	}
	keys := v.ownVerifyKeysFromID()
	for _, n := range names {
		if n == v.dbName {
			continue
		}
		b, err := readBinding(v.dir, n, keys)
		if err != nil || b.Store != n || !b.Committed {
			continue // not this vault's, or never the vault: a leftover
		}
		if b.Generation >= v.binding.Generation {
			return &CorruptError{What: "store", Err: fmt.Errorf("%w: %s names store %s (generation %d), but %s beside it is a newer or equal store of this vault (generation %d) that has been in use: %s and the store it names were replaced by an older copy; nothing was opened, changed or removed",
				ErrRollback, masterFile, v.dbName, v.binding.Generation, n, b.Generation, masterFile)}
		}
	}
	if !v.binding.Committed && v.id != nil {
		if err := writeBinding(v.dir, v.id, v.mk, v.dbName, v.binding.Generation, true); err == nil {
			v.binding.Committed = true
		}
	}
	return nil
}

// ownVerifyKeysFromID are the verify keys a binding of this vault can be
// signed with before the meta is read: the identity's. (A store bound by a
// previous identity before a rotation was never committed under the new
// one's master.age.)
func (v *Vault) ownVerifyKeysFromID() []ed25519.PublicKey {
	return []ed25519.PublicKey{v.orgVerifyKey()}
}
