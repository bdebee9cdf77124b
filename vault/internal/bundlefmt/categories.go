package bundlefmt

import "github.com/casevault/casevault/vault/internal/errs"

// Is puts an Error in its category: damage when the bundle was tampered
// with, else invalid input.
func (e *Error) Is(target error) bool {
	if e.Tampered {
		return target == errs.ErrDamaged
	}
	return target == errs.ErrInvalid
}

// Is puts an ExportLimitError among invalid input.
func (e *ExportLimitError) Is(target error) bool { return target == errs.ErrInvalid }
