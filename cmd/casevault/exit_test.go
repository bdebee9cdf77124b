package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/publish"
)

// TestNotFoundHints checks that a missing thing gets exit code 7 and a
// hint about that kind of thing, not about cases.
func TestNotFoundHints(t *testing.T) {
	for kind, want := range map[vault.NotFoundKind]string{
		"case":                                   "case list",
		"revision":                               "case history",
		"organisation":                           "org list",
		"evidence":                               "evidence list",
		"share":                                  "share list",
		"shared case":                            "share list",
		"audit head witnessed from organisation": "",
	} {
		err := fmt.Errorf("ctx: %w", &vault.NotFoundError{Kind: kind, ID: "x"})
		code, hint := classify(err)
		if code != exitNotFound {
			t.Errorf("%s: exit %d, want %d", kind, code, exitNotFound)
		}
		if want == "" && strings.Contains(hint, "case list") || !strings.Contains(hint, want) {
			t.Errorf("%s: hint %q, want one about %q", kind, hint, want)
		}
	}
}

// TestExitCodeTable checks the exit code of each kind and category of
// error, wrapped as commands wrap them; the codes are those README.md
// promises.
func TestExitCodeTable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{vault.ErrNoVault, exitNoVault},
		{vault.ErrWrongPassphrase, exitAuth},
		{vault.ErrWrongIdentity, exitAuth},
		{vault.ErrInUse, exitInUse},
		{vault.ErrNewerVersion, exitNewer},
		{vault.ErrVaultExists, exitUsage},
		{&vault.FieldsError{Unknown: []string{"x"}}, exitUsage},
		{&vault.InvalidIDError{}, exitUsage},
		{&vault.AmbiguousError{}, exitUsage},
		{&vault.UnknownOrgError{Name: "x"}, exitNotFound},
		{publish.ErrOutputExists, exitUsage},
		{&usageError{msg: "x"}, exitError}, // printed by run, not classify
		{&vault.BundleError{Msg: "m", Tampered: true}, exitDamaged},
		{&vault.BundleError{Msg: "m"}, exitInvalid},
		{&vault.CorruptError{What: "key file master.age", Err: errors.New("x")}, exitDamaged},
		{&vault.CorruptError{What: "case x", Err: errors.New("x")}, exitDamaged},
		{&vault.AuditBreak{}, exitDamaged},
		{&vault.BackupError{Msg: "m"}, exitDamaged},
		{&vault.EvidenceDamagedError{Evidence: "e"}, exitDamaged},
		{&vault.WitnessImpostorError{}, exitDamaged},
		{vault.ErrRollback, exitDamaged},
		{vault.ErrCardSignature, exitDamaged},
		{vault.ErrTampered, exitDamaged},
		{&vault.CustodyReportError{Forged: true}, exitDamaged},
		{&vault.CustodyReportError{}, exitInvalid},
		{&publish.VerifyError{}, exitDamaged},
		{&vault.WitnessFileError{}, exitInvalid},
		{&vault.ImportFileError{}, exitInvalid},
		{vault.ErrImportInvalid, exitInvalid},
		{&vault.QuarantinedError{ID: "c"}, exitInvalid},
		{&vault.StaleError{Case: "c", Base: 1, Current: 2}, exitInvalid},
		{&vault.OrgExistsError{Name: "o"}, exitInvalid},
		{&vault.WeakPassphraseError{}, exitInvalid},
		{&schema.ValidationError{}, exitInvalid},
		{schema.ErrSyntax, exitInvalid},
		{&publish.ExcludedError{}, exitInvalid},
		{&vault.NotFoundError{Kind: vault.NotFoundOrg}, exitNotFound},
		{&vault.UnknownHitError{ID: "h"}, exitNotFound},
		{&publish.LeakError{}, exitLeak},
		{&publish.AnonymityError{}, exitLeak},
		{&vault.EvidenceInUseError{Evidence: "e", Case: "c"}, exitError},
		{&vault.DiskFullError{}, exitError},
		{&vault.NotSharedError{Case: "c", Org: "o"}, exitError},
		{errInterrupted, exitInterrupted},
		{errors.New("anything else"), exitError},
		{withCode(errors.New("x"), exitNoVault, ""), exitNoVault},
	} {
		if code, _ := classify(fmt.Errorf("ctx: %w", tc.err)); code != tc.code {
			t.Errorf("%T %v: exit %d, want %d", tc.err, tc.err, code, tc.code)
		}
	}
	// Every category has a code other than the default.
	for _, cat := range []error{vault.ErrNotFound, vault.ErrInvalid, vault.ErrDamaged, vault.ErrAuth, vault.ErrNewer, vault.ErrExists} {
		if code, _ := classify(fmt.Errorf("ctx: %w", cat)); code == exitError {
			t.Errorf("category %v has no exit code", cat)
		}
	}
}
