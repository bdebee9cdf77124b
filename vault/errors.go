package vault

import (
	"errors"
	"fmt"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// Error categories. Every error of this package is in at most one of them
// (errors.Is(err, vault.ErrDamaged) and so on), whatever its type; the
// CLI maps categories to exit codes. ErrInUse (the lock) is the only
// member of its category.
var (
	ErrNotFound = errs.ErrNotFound // an unknown ID or name
	ErrInvalid  = errs.ErrInvalid  // malformed or unacceptable input
	ErrDamaged  = errs.ErrDamaged  // data that fails an integrity check
	ErrAuth     = errs.ErrAuth     // a passphrase or identity that does not unlock
	ErrNewer    = errs.ErrNewer    // written by a newer casevault
	ErrExists   = errs.ErrExists   // already exists
)

var (
	// ErrNoVault is returned when the directory holds no vault.
	ErrNoVault = errs.New(errs.ErrNotFound, "no vault here")
	// ErrVaultExists is returned by Init when the directory is not empty.
	ErrVaultExists = errs.New(errs.ErrExists, "directory already holds a vault or other files")
	// ErrInUse is returned when another process has the vault open
	// (category [errs.ErrInUse]).
	ErrInUse = errs.New(errs.ErrInUse, "vault is in use by another process")
	// ErrNewerVersion is returned for a vault written by a newer casevault.
	ErrNewerVersion = errs.New(errs.ErrNewer, "vault was written by a newer version of casevault")
	// ErrWrongPassphrase is returned when the passphrase does not unlock the
	// vault's identity.
	ErrWrongPassphrase = crypto.ErrWrongPassphrase
	// ErrWrongIdentity is returned when an identity file is not the vault's.
	ErrWrongIdentity = errs.New(errs.ErrAuth, "identity does not unlock this vault")
	// ErrTampered is returned when a stored record fails authentication.
	ErrTampered = crypto.ErrTampered
)

// NotFoundError reports an unknown ID or name.
type NotFoundError struct {
	Kind NotFoundKind
	ID   string
}

// NotFoundKind says what was not found.
type NotFoundKind string

// The kinds of things that can be missing.
const (
	NotFoundCase       NotFoundKind = "case"
	NotFoundEvidence   NotFoundKind = "evidence"
	NotFoundOrg        NotFoundKind = "organisation"
	NotFoundRevision   NotFoundKind = "revision"
	NotFoundShare      NotFoundKind = "share"
	NotFoundSharedCase NotFoundKind = "shared case"
	NotFoundWitness    NotFoundKind = "audit head witnessed from organisation"
	NotFoundHeld       NotFoundKind = "held-back work of removed case"
)

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
