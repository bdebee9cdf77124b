// Package partners holds what the vault knows of partner organisations
// and shares, without the store: the organisation and share records as
// they are stored (JSON), the check that refuses an organisation name that
// looks like another on screen, and which fields of a case a share lets
// go. The vault reads and writes the records in its transactions.
package partners

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/casevault/casevault/vault/internal/errs"
)

// An Org is a partner organisation this vault knows: where bundles for it
// are encrypted to, and the key its bundles must be signed with.
type Org struct {
	Name        string            `json:"name"`
	Recipient   string            `json:"recipient"`
	VerifyKey   ed25519.PublicKey `json:"verify_key"`
	Fingerprint string            `json:"fingerprint"`
	Added       time.Time         `json:"added"`
	// Updated is set when the organisation's keys were replaced by a
	// rotation card (see RotateIdentity).
	Updated *time.Time `json:"updated,omitempty"`
	// Removed is set once the organisation was removed: it can then
	// neither receive bundles from us nor send us any.
	Removed *time.Time `json:"removed,omitempty"`
}

// ExistsError reports an organisation name already in use.
type ExistsError struct{ Name string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("organisation %q is already known (remove it first to replace its keys)", e.Name)
}

// Is puts an ExistsError among what exists already.
func (e *ExistsError) Is(target error) bool { return target == errs.ErrExists }
