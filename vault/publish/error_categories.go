package publish

import "github.com/casevault/casevault/vault/internal/errs"

// The categories of this package's errors (vault.ErrDamaged and the
// others). LeakError and AnonymityError are in none: they are their own
// kind of refusal.

func (e *VerifyError) Is(target error) bool   { return target == errs.ErrDamaged }
func (e *ExcludedError) Is(target error) bool { return target == errs.ErrInvalid }
