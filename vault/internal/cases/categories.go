package cases

import "github.com/casevault/casevault/vault/internal/errs"

// Is puts a QuarantinedError among invalid input: the case may not go
// where it was asked to.
func (e *QuarantinedError) Is(target error) bool { return target == errs.ErrInvalid }
