package backupfmt

import "github.com/casevault/casevault/vault/internal/errs"

// Is puts an Error (a damaged or foreign backup) among damage.
func (e *Error) Is(target error) bool { return target == errs.ErrDamaged }
