package vault

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/crypto"
)

// errStoreReplaced: a reader that let go of its lock to replay a killed
// writer's log found, on taking the lock again, that a writer had replaced
// the store it unlocked (a rekey). Open then unlocks again; reported only
// if that keeps happening (maxReopens).
var errStoreReplaced = errors.New("the store was replaced by another process while this command waited for the vault")

// maxReopens bounds Open's tries when errStoreReplaced keeps happening
// (each needs another writer killed and another rekey in between).
const maxReopens = 3

// storeReplaced reports that the store v unlocked is no longer the
// vault's: its directory is gone, or master.age is no longer what the
// unlock read (a staff member's unlock, which reads a wrap instead, is
// checked by the directory only).
func (v *Vault) storeReplaced() bool {
	if st, err := os.Stat(filepath.Join(v.dir, v.dbName)); err != nil || !st.IsDir() {
		return true
	}
	if v.masterSum == ([32]byte{}) {
		return false
	}
	ct, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	return err != nil || sha256.Sum256(ct) != v.masterSum
}

// askOnce makes u ask for the passphrase at most once however often Open
// unlocks (see errStoreReplaced); forget wipes the copy it keeps.
func askOnce(u Unlock) (Unlock, func()) {
	ask := u.Passphrase
	if ask == nil {
		return u, func() {}
	}
	var kept []byte
	u.Passphrase = func() ([]byte, error) {
		if kept == nil {
			p, err := ask()
			if err != nil {
				return nil, err
			}
			kept = append([]byte{}, p...)
			crypto.Wipe(p)
		}
		return append([]byte(nil), kept...), nil
	}
	return u, func() { crypto.Wipe(kept) }
}
