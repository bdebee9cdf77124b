package vault

import (
	"errors"
	"fmt"
	"testing"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/publish"
)

// TestErrorCategories puts every typed error and sentinel of the library
// in its category (and in no other), also when wrapped.
func TestErrorCategories(t *testing.T) {
	none := error(nil)
	for _, tc := range []struct {
		err error
		cat error
	}{
		{&NotFoundError{Kind: NotFoundCase, ID: "x"}, ErrNotFound},
		{&NotFoundError{Kind: NotFoundWitness, ID: "x"}, ErrNotFound},
		{&UnknownHitError{ID: "h"}, ErrNotFound},
		{ErrNoVault, ErrNotFound},
		{&CorruptError{What: "w", Err: errors.New("x")}, ErrDamaged},
		{&AuditBreak{Seq: 1, Reason: "r"}, ErrDamaged},
		{&BackupError{Msg: "m"}, ErrDamaged},
		{&EvidenceDamagedError{Evidence: "e", Err: errors.New("x")}, ErrDamaged},
		{&WitnessImpostorError{}, ErrDamaged},
		{&BundleError{Msg: "m", Tampered: true}, ErrDamaged},
		{&CustodyReportError{Reason: "r", Forged: true}, ErrDamaged},
		{&publish.VerifyError{Dir: "d"}, ErrDamaged},
		{ErrCardSignature, ErrDamaged},
		{ErrRollback, ErrDamaged},
		{&BundleError{Msg: "m"}, ErrInvalid},
		{&CustodyReportError{Reason: "r"}, ErrInvalid},
		{&InvalidIDError{}, ErrInvalid},
		{&AmbiguousError{}, ErrInvalid},
		{&UnknownOrgError{Name: "x"}, ErrNotFound},
		{&WitnessFileError{Reason: "r"}, ErrInvalid},
		{&ImportFileError{Line: 1, Reason: "r"}, ErrInvalid},
		{&FieldsError{Unknown: []string{"x"}}, ErrInvalid},
		{&ExportLimitError{}, ErrInvalid},
		{&QuarantinedError{ID: "c", Org: "o"}, ErrInvalid},
		{&StaleError{Case: "c", Base: 1, Current: 2}, ErrInvalid},
		{&OrgLookalikeError{Name: "a", Existing: "b"}, ErrInvalid},
		{&WeakPassphraseError{}, ErrInvalid},
		{&NotPublishableError{}, ErrInvalid},
		{&publish.ExcludedError{Case: "c"}, ErrInvalid},
		{ErrBadCard, ErrInvalid},
		{ErrBadKeys, ErrInvalid},
		{ErrImportInvalid, ErrInvalid},
		{ErrImportChanged, ErrInvalid},
		{ErrSamePassphrase, ErrInvalid},
		{ErrWrongIdentity, ErrAuth},
		{&authError{ErrWrongPassphrase}, ErrAuth},
		{ErrInUse, errs.ErrInUse},
		{ErrNewerVersion, ErrNewer},
		{ErrVaultExists, ErrExists},
		{&OrgExistsError{Name: "o"}, ErrExists},
		{publish.ErrOutputExists, ErrExists},
		{&EvidenceInUseError{}, none},
		{&DiskFullError{}, none},
		{&NotSharedError{Case: "c", Org: "o"}, none},
		{&publish.LeakError{}, none},
		{&publish.AnonymityError{}, none},
	} {
		for _, err := range []error{tc.err, fmt.Errorf("context: %w", tc.err)} {
			for _, cat := range errs.Categories {
				if got := errors.Is(err, cat); got != (cat == tc.cat) {
					t.Errorf("errors.Is(%T %q, %v) = %v", tc.err, err, cat, got)
				}
			}
		}
	}
}

// TestWrongUnlockIsAuth: a real Open with a wrong passphrase, and a lock
// held by another open, come out in their categories.
func TestWrongUnlockIsAuth(t *testing.T) {
	dir, v := audVault(t, "Auth Org")
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte("not the passphrase"), nil }}, Options{})
	if !errors.Is(err, ErrAuth) || !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Open with a wrong passphrase: %v, want ErrAuth and ErrWrongPassphrase", err)
	}
	held, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte(audPass), nil }}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, err = Open(dir, Unlock{Passphrase: func() ([]byte, error) { return []byte(audPass), nil }}, Options{})
	if !errors.Is(err, errs.ErrInUse) || !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want the in-use category", err)
	}
}
