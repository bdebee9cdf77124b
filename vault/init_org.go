package vault

import (
	"strings"

	"github.com/casevault/casevault/vault/internal/errs"
)

// CheckNewOrg checks the name a new vault gives its organisation (spaces
// around it trimmed, as Init trims them). The name goes on the
// organisation's card and into every manifest it signs, so it is checked
// as a partner checks a card (CheckOrgName: no control or bidirectional
// character, at most 200 bytes): a name a partner's vault would refuse is
// refused here, as invalid input naming the character.
func CheckNewOrg(name string) error {
	if err := CheckOrgName(strings.TrimSpace(name)); err != nil {
		return &invalidOrgNameError{err}
	}
	return nil
}

// invalidOrgNameError is an organisation name CheckNewOrg refuses:
// invalid input, its message that of the check.
type invalidOrgNameError struct{ err error }

func (e *invalidOrgNameError) Error() string        { return e.err.Error() }
func (e *invalidOrgNameError) Unwrap() error        { return e.err }
func (e *invalidOrgNameError) Is(target error) bool { return target == errs.ErrInvalid }
