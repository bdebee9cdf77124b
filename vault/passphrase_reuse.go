package vault

import (
	"path/filepath"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// ErrSamePassphrase means a new passphrase (passwd, rotate-identity) is
// the one that opens the vault now: after a coerced passphrase, keeping
// it would hand the coercer the new identity too.
var ErrSamePassphrase = errs.New(errs.ErrInvalid, "the new passphrase is the current one: choose a different passphrase")

// CheckNewPassphrase refuses a new passphrase that opens the vault's
// current identity.age (as typed, or once trimmed of surrounding spaces).
// It costs one scrypt unwrap per form tried.
func (v *Vault) CheckNewPassphrase(pass []byte) error {
	sealed, err := readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile)
	if err != nil {
		return err
	}
	tried := [][]byte{pass}
	if t := trimSpaceBytes(pass); len(t) != len(pass) && len(t) > 0 {
		tried = append(tried, t)
	}
	for _, p := range tried {
		if pt, err := crypto.DecryptWithPassphrase(sealed, p, maxKeyFile); err == nil {
			crypto.Wipe(pt)
			return ErrSamePassphrase
		}
	}
	return nil
}

func trimSpaceBytes(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t') {
		j--
	}
	return b[i:j]
}
