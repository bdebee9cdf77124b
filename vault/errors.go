package vault

import (
	"errors"
	"fmt"

	"github.com/casevault/casevault/crypto"
)

var (
	// ErrNoVault is returned when the directory holds no vault.
	ErrNoVault = errors.New("no vault here")
	// ErrVaultExists is returned by Init when the directory is not empty.
	ErrVaultExists = errors.New("directory already holds a vault or other files")
	// ErrInUse is returned when another process has the vault open.
	ErrInUse = errors.New("vault is in use by another process")
	// ErrNewerVersion is returned for a vault written by a newer casevault.
	ErrNewerVersion = errors.New("vault was written by a newer version of casevault")
	// ErrWrongPassphrase is returned when the passphrase does not unlock the
	// vault's identity.
	ErrWrongPassphrase = crypto.ErrWrongPassphrase
	// ErrWrongIdentity is returned when an identity file is not the vault's.
	ErrWrongIdentity = errors.New("identity does not unlock this vault")
	// ErrTampered is returned when a stored record fails authentication.
	ErrTampered = crypto.ErrTampered
)

// NotFoundError reports an unknown ID or name.
type NotFoundError struct{ Kind, ID string }

func (e *NotFoundError) Error() string { return fmt.Sprintf("no %s %s in this vault", e.Kind, e.ID) }

// IsNotFound reports whether err is a [NotFoundError].
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// CorruptError reports a record that cannot be opened or decoded.
type CorruptError struct {
	What string
	Err  error
}

func (e *CorruptError) Error() string { return fmt.Sprintf("damaged record (%s): %v", e.What, e.Err) }
func (e *CorruptError) Unwrap() error { return e.Err }
