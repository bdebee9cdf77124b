package vault

import (
	"fmt"

	"github.com/casevault/casevault/vault/internal/errs"
)

// The category of each error type (see ErrNotFound and the others in
// errors.go). EvidenceInUseError, DiskFullError and the publish package's
// LeakError and AnonymityError are in none: they are their own kind.

func (e *NotFoundError) Is(target error) bool { return target == errs.ErrNotFound }
func (e *UnknownHitError) Is(target error) bool {
	return target == errs.ErrNotFound
}

func (e *CorruptError) Is(target error) bool { return target == errs.ErrDamaged }

// The error types of the internal packages (audit, bundlefmt, backupfmt,
// bulk, cases, evidence, ids, partners) have their Is methods there.

func (e *WeakPassphraseError) Is(target error) bool { return target == errs.ErrInvalid }
func (e *NotPublishableError) Is(target error) bool { return target == errs.ErrInvalid }

// NotSharedError reports a case named for a bundle that is not shared with
// the receiving organisation. It is in no category (the CLI's exit code
// for it is that of other errors).
type NotSharedError struct{ Case, Org string }

func (e *NotSharedError) Error() string {
	return fmt.Sprintf("case %s is not shared with %q: share it first", e.Case, e.Org)
}

// authError puts a wrong passphrase (crypto.ErrWrongPassphrase, which
// errors.Is still finds) in the category ErrAuth.
type authError struct{ err error }

func (e *authError) Error() string        { return e.err.Error() }
func (e *authError) Unwrap() error        { return e.err }
func (e *authError) Is(target error) bool { return target == errs.ErrAuth }
