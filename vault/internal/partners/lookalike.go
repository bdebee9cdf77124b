package partners

import (
	"fmt"

	"github.com/casevault/casevault/vault/internal/confusable"
	"github.com/casevault/casevault/vault/internal/errs"
)

// A LookalikeError reports an organisation name that looks like the
// name of another organisation (or this vault's own) on screen: it
// differs only by invisible characters, case, spacing or letters of
// another script that look the same (Unicode TS #39 confusables).
type LookalikeError struct {
	Name, Existing string
	Own            bool // Existing is this vault's own organisation
	// Ambiguous is set when both are known already (added by an earlier
	// version) and a command named one of them.
	Ambiguous bool
	// Reserved: Existing is a word the case list shows for this vault's
	// own cases ("ours"), which no partner may be called.
	Reserved bool
}

// reservedNames are what lists show for this organisation's own cases: a
// partner named so (in any case or spacing, or a lookalike) could pass its
// cases for ours.
var reservedNames = []string{"ours", "our", "our own", "own"}

func (e *LookalikeError) Error() string {
	if e.Reserved {
		return fmt.Sprintf("organisation name %q looks like %q, the word case lists show for this vault's own cases: refused, as a partner's cases could pass for ours", e.Name, e.Existing)
	}
	if e.Ambiguous {
		return fmt.Sprintf("organisation name %q is ambiguous: the known organisation %q looks the same on screen; remove the one you do not mean first", e.Name, e.Existing)
	}
	whose := "the known organisation"
	if e.Own {
		whose = "this vault's own organisation"
	}
	return fmt.Sprintf("organisation name %q looks like %s %q (they differ only by invisible characters, case, spacing or lookalike letters): refused, as one could pass for the other", e.Name, whose, e.Existing)
}

// Lookalike returns the active organisation of orgs (or this vault's own
// name, own) whose name looks like name without being it, if any.
func Lookalike(name, own string, orgs []Org) *LookalikeError {
	for _, w := range reservedNames {
		if confusable.Confusable(name, w) {
			return &LookalikeError{Name: name, Existing: w, Reserved: true}
		}
	}
	if confusable.Confusable(name, own) {
		return &LookalikeError{Name: name, Existing: own, Own: true}
	}
	for _, o := range orgs {
		if o.Removed == nil && o.Name != name && confusable.Confusable(name, o.Name) {
			return &LookalikeError{Name: name, Existing: o.Name}
		}
	}
	return nil
}

// A WitnessImpostorError reports a witness file whose holder name is (or
// looks like) that of a known partner, or of this vault's organisation,
// while its key is not that organisation's: someone passing for a
// partner.
type WitnessImpostorError struct {
	Holder string // the name in the file
	Org    string // the organisation it names or looks like
	KeyOf  string // the known organisation whose key signed it, if any
}

func (e *WitnessImpostorError) Error() string {
	key := "a key of no organisation this vault knows"
	if e.KeyOf != "" {
		key = fmt.Sprintf("the key of organisation %q", e.KeyOf)
	}
	return fmt.Sprintf("witness file: its holder %q names organisation %q, but it is signed by %s, not that organisation's", e.Holder, e.Org, key)
}

// CheckWitnessHolder refuses a witness whose holder name is, or looks
// like, another organisation of orgs (or this vault's own, own) than the
// one whose key signed it (keyOrg, empty for an unknown key).
func CheckWitnessHolder(holder, keyOrg, own string, orgs []Org) error {
	if keyOrg != "" && confusable.Confusable(holder, keyOrg) {
		return nil
	}
	if confusable.Confusable(holder, own) {
		return &WitnessImpostorError{Holder: holder, Org: own, KeyOf: keyOrg}
	}
	for _, o := range orgs {
		if o.Name != keyOrg && confusable.Confusable(holder, o.Name) {
			return &WitnessImpostorError{Holder: holder, Org: o.Name, KeyOf: keyOrg}
		}
	}
	return nil
}

// Is puts a LookalikeError among invalid input.
func (e *LookalikeError) Is(target error) bool { return target == errs.ErrInvalid }

// Is puts a WitnessImpostorError among damage.
func (e *WitnessImpostorError) Is(target error) bool { return target == errs.ErrDamaged }
