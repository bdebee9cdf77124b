package bulk

import "github.com/casevault/casevault/vault/internal/errs"

// Is puts a FileError among invalid input.
func (e *FileError) Is(target error) bool { return target == errs.ErrInvalid }
