// Package errs holds the categories of the vault's errors, so that the
// vault and its sub-packages can say what an error is (not found, invalid,
// damaged, ...) without importing the vault, and the CLI can map a category
// to its exit code with errors.Is.
//
// An error type joins a category with a method
//
//	func (e *T) Is(target error) bool { return target == errs.ErrDamaged }
//
// and a sentinel error with [New].
package errs

import "errors"

// The categories. Their texts are never shown alone: they are what
// errors.Is compares against.
var (
	// ErrNotFound: an ID or name the vault does not hold.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: input that is malformed or not acceptable (a case file,
	// a bundle, an import file, a card, a field list, a name).
	ErrInvalid = errors.New("invalid input")
	// ErrDamaged: data that fails an integrity check (a damaged or altered
	// record, file, backup, bundle or report, a broken audit chain).
	ErrDamaged = errors.New("damaged data")
	// ErrAuth: a passphrase or identity that does not unlock the vault.
	ErrAuth = errors.New("not authorised")
	// ErrInUse: another process holds the vault.
	ErrInUse = errors.New("in use")
	// ErrNewer: data written by a newer version, in a format this one
	// does not read.
	ErrNewer = errors.New("newer format")
	// ErrExists: a vault, organisation or file that already exists.
	ErrExists = errors.New("already exists")
)

// Categories lists every category, for tests and tables.
var Categories = []error{ErrNotFound, ErrInvalid, ErrDamaged, ErrAuth, ErrInUse, ErrNewer, ErrExists}

// New returns a sentinel error with text msg in category cat:
// errors.Is(New(cat, msg), cat) is true.
func New(cat error, msg string) error { return &sentinel{msg: msg, cat: cat} }

type sentinel struct {
	msg string
	cat error
}

func (e *sentinel) Error() string        { return e.msg }
func (e *sentinel) Is(target error) bool { return target == e.cat }
