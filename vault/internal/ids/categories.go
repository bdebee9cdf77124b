package ids

import "github.com/casevault/casevault/vault/internal/errs"

// Is puts an InvalidIDError among invalid input.
func (e *InvalidIDError) Is(target error) bool { return target == errs.ErrInvalid }
