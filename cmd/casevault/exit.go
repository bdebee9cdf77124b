package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/publish"
)

// Exit codes. This table is the one place they are defined; README.md
// lists them for users.
const (
	exitOK          = 0   // success
	exitError       = 1   // any other error (I/O, disk full, internal)
	exitUsage       = 2   // wrong command line
	exitNoVault     = 3   // no vault at the given place
	exitAuth        = 4   // wrong passphrase or identity
	exitInUse       = 5   // vault is open in another process
	exitInvalid     = 6   // invalid input: case file, bundle, import file
	exitNotFound    = 7   // unknown case, evidence, organisation, revision
	exitDamaged     = 8   // integrity failure: tampered or damaged data, broken audit chain
	exitNewer       = 9   // vault written by a newer casevault
	exitLeak        = 10  // publish refused: restricted or personal data found, or an anonymous case recognisable
	exitInterrupted = 130 // interrupted (Ctrl-C)
)

// codedError carries an exit code and an optional hint for the user.
type codedError struct {
	err  error
	code int
	hint string
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func withCode(err error, code int, hint string) error {
	if err == nil {
		return nil
	}
	return &codedError{err: err, code: code, hint: hint}
}

// classify maps an error to its exit code and a hint: the first rule of
// exitRules that matches decides.
func classify(err error) (int, string) {
	var ce *codedError
	if errors.As(err, &ce) {
		if ce.hint == "" {
			_, h := classify(ce.err)
			return ce.code, h
		}
		return ce.code, ce.hint
	}
	for _, r := range exitRules {
		if r.match(err) {
			h := ""
			if r.hint != nil {
				h = r.hint(err)
			}
			return r.code, h
		}
	}
	return exitError, ""
}

// An exitRule maps a kind of error (a sentinel, a type, a not-found kind)
// or a category of errors (vault.ErrNotFound and the others) to an exit
// code and a hint.
type exitRule struct {
	match func(error) bool
	code  int
	hint  func(error) string
}

// is matches errors that are target (a sentinel or a category).
func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// as matches errors of type T.
func as[T error]() func(error) bool {
	return func(err error) bool { var t T; return errors.As(err, &t) }
}

// asIn matches errors of type T that are in category cat (a bundle error
// is damage when the bundle was tampered with, else invalid input).
func asIn[T error](cat error) func(error) bool {
	return func(err error) bool { var t T; return errors.As(err, &t) && errors.Is(t, cat) }
}

// notFound matches a *vault.NotFoundError of kind k.
func notFound(k vault.NotFoundKind) func(error) bool {
	return func(err error) bool {
		var nf *vault.NotFoundError
		return errors.As(err, &nf) && nf.Kind == k
	}
}

// corruptPart matches a *vault.CorruptError about the part of the vault
// that what selects.
func corruptPart(what func(string) bool) func(error) bool {
	return func(err error) bool {
		var c *vault.CorruptError
		return errors.As(err, &c) && what(c.What)
	}
}

func hint(s string) func(error) string { return func(error) string { return s } }

// field returns the hint f makes of the error of type T in err.
func field[T error](f func(T) string) func(error) string {
	return func(err error) string {
		var t T
		if errors.As(err, &t) {
			return f(t)
		}
		return ""
	}
}

const restoreHint = "restore from a backup into a new directory ('casevault restore FILE --vault DIR')"

// exitRules is the one table of exit codes: kinds with their hints first,
// then the categories.
var exitRules = []exitRule{
	{is(vault.ErrNoVault), exitNoVault, hint("create one with 'casevault init --org NAME', or point to it with --vault DIR or CASEVAULT_DIR")},
	{is(vault.ErrWrongPassphrase), exitAuth, hint("the passphrase is the one set at 'casevault init' or by 'casevault passwd'")},
	{is(vault.ErrStaleStaffKey), exitAuth, hint("the owner's next read-write open (such as 'casevault check --repair') rewrites every member's staff key file")},
	{is(vault.ErrWrongIdentity), exitAuth, hint("the identity file is not this vault's; unlock with the passphrase instead")},
	{is(vault.ErrInUse), exitInUse, hint("wait for the other casevault command to finish, or wait longer with --wait DURATION (such as --wait 1m)")},
	{is(vault.ErrNewerVersion), exitNewer, hint("upgrade casevault to open this vault")},
	{is(vault.ErrVaultExists), exitUsage, hint("choose an empty or new directory with --vault DIR")},
	{is(vault.ErrSamePassphrase), exitInvalid, hint("a coercer who knows the current passphrase would open the new identity too")},
	{as[*vault.WeakPassphraseError](), exitInvalid, hint("choose four or more random words (not a quotation or a song line): long and unpredictable")},
	{as[*vault.WitnessFileError](), exitInvalid, hint("ask the partner for the file again, made with 'casevault audit witness --org OURNAME'")},
	{asIn[*vault.BundleError](vault.ErrDamaged), exitDamaged, hint("the bundle was altered or damaged in transit, or not made by its claimed sender: ask the sender for a new copy")},
	{as[*vault.BundleError](), exitInvalid, hint("'casevault bundle inspect FILE' shows who sent the bundle and to whom; a sender's card is added with 'casevault org add' after comparing its fingerprint")},
	{is(vault.ErrRecoveryShares), exitInvalid, hint("give at least the threshold number of different shares of one split of this vault ('casevault recovery split' printed which)")},
	{is(vault.ErrRecoveryShareDamaged), exitDamaged, hint("the share file was altered or damaged: ask its trustee for their copy again")},
	{is(vault.ErrRecoveryNoIdentity), exitAuth, hint("each share opens only with its own trustee's identity file")},
	{is(vault.ErrNeedOwner), exitAuth, hint("only the vault's owner, who holds the organisation identity, can do this")},
	{is(vault.ErrStaffRemoved), exitInvalid, hint("give --readmit to take the colleague back, after checking the card's fingerprint with them")},
	{is(vault.ErrStaffExists), exitInvalid, hint("'casevault staff list' shows the staff")},
	{is(vault.ErrStaffCardSignature), exitDamaged, hint("the card was altered or forged: ask the colleague for it again and compare the fingerprint")},
	{is(vault.ErrBadStaffCard), exitInvalid, hint("a staff card is made with 'casevault staff card --identity FILE --name NAME'")},
	{is(vault.ErrCardSignature), exitDamaged, hint("the card was altered or forged: ask the partner for it again and compare the fingerprint")},
	{is(vault.ErrBadCard), exitInvalid, hint("a card is made with 'casevault org card'")},
	{is(vault.ErrBadKeys), exitInvalid, hint("a card is made with 'casevault org card'")},
	{as[*vault.FieldsError](), exitUsage, hint("name fields with --fields; 'casevault template' shows every field")},
	{as[*vault.QuarantinedError](), exitInvalid, field(func(e *vault.QuarantinedError) string {
		return "check the case, then lift the quarantine with 'casevault case release " + e.ID + "'"
	})},
	{as[*vault.StaleError](), exitInvalid, field(func(e *vault.StaleError) string {
		if e.Base > e.Current {
			return "the file was made from another copy of the vault or another case: check it, then name its base with --base-rev N or store it with --force"
		}
		return fmt.Sprintf("'casevault case diff %s %d' shows what changed since; take it into the file (or start again from 'casevault case show %s'), or store the file anyway with --force", e.Case, e.Base, e.Case)
	})},
	{as[*vault.ConflictError](), exitInvalid, field(func(e *vault.ConflictError) string {
		return "'casevault case resolve " + e.Case + "' shows the conflicts; decide one with --conflict N --take local|theirs|edit (edit merges by hand)"
	})},
	{as[*vault.OrgExistsError](), exitInvalid, hint("'casevault org rm NAME' removes it first, to replace its keys")},
	{as[*vault.OrgLookalikeError](), exitInvalid, hint("compare the card's fingerprint with the organisation over another channel; a different organisation must use a distinct name ('casevault org rm NAME' removes a known one)")},
	{as[*vault.ExportLimitError](), exitInvalid, hint("name fewer cases with --case")},
	{as[*vault.NotSharedError](), exitError, field(func(e *vault.NotSharedError) string {
		return fmt.Sprintf("share it with 'casevault share %s --with %q'", e.Case, e.Org)
	})},
	{as[*vault.WitnessImpostorError](), exitDamaged, hint("the file was not made by the partner it names: do not rely on it, and ask that partner for its witness file directly")},
	{is(errUnknownWitness), exitInvalid, hint("compare the key with the holder's card fingerprint over another channel; then repeat with --accept-unknown-witness, or add the holder with 'casevault org add'")},
	{as[*schema.ValidationError](), exitInvalid, nil},
	{as[*schema.VersionError](), exitInvalid, nil},
	{is(schema.ErrTooLarge), exitInvalid, nil},
	{is(schema.ErrNotUTF8), exitInvalid, nil},
	{is(schema.ErrSyntax), exitInvalid, nil},
	{as[*vault.DiskFullError](), exitError, hint("free space on the disk that holds the vault")},
	{as[*vault.BackupChainError](), exitInvalid, hint("give every file of one backup chain, from link 1 up to the link to restore to, in any order ('casevault restore --help')")},
	{as[*vault.BackupError](), exitDamaged, hint("the backup file is damaged, truncated or not a casevault backup; try another copy")},
	{as[*vault.UnknownOrgError](), exitNotFound, hint("'casevault org list' shows the partner organisations")},
	{notFound(vault.NotFoundOrg), exitNotFound, hint("'casevault org list' shows the partner organisations")},
	{is(vault.ErrImportInvalid), exitInvalid, hint("fix the records listed above, or import the valid ones with --skip-invalid")},
	{as[*vault.ImportFileError](), exitInvalid, hint("fix the records listed above, or import the valid ones with --skip-invalid")},
	{is(vault.ErrImportConflicts), exitInvalid, hint("the cases named above were left as they are; give those rows their own external_id, or change a case with 'casevault case update'")},
	{is(vault.ErrImportChanged), exitInvalid, hint("'casevault case list' shows what went in; import from a file nobody is writing to")},
	{notFound(vault.NotFoundRevision), exitNotFound, hint("'casevault case history ID' lists the revisions of a case")},
	{notFound(vault.NotFoundEvidence), exitNotFound, hint("'casevault evidence list CASE' shows the evidence of a case")},
	{notFound(vault.NotFoundShare), exitNotFound, hint("'casevault share list' shows which cases are shared with whom")},
	{notFound(vault.NotFoundSharedCase), exitNotFound, hint("'casevault share list' shows which cases are shared with whom; share cases with 'casevault share CASE --with ORG'")},
	{notFound(vault.NotFoundHeld), exitNotFound, hint("'casevault held list' shows the work held back by removals from other copies")},
	{notFound(vault.NotFoundCase), exitNotFound, hint("'casevault case list' shows the cases in this vault")},
	{as[*vault.NotFoundError](), exitNotFound, nil},
	{as[*vault.InvalidIDError](), exitUsage, nil},
	{as[*vault.AmbiguousError](), exitUsage, field(func(e *vault.AmbiguousError) string {
		if e.By == "name" {
			return "name the case by its ID from the list above"
		}
		return "give more characters of the ID, or the whole ID from the list above"
	})},
	{as[*vault.ClockSkewError](), exitError, hint("check the clock of this computer and the store's (time and time zone, e.g. with NTP); if both are right, something between rewrites the store's Date header: sync over another network. Nothing was uploaded")},
	{is(vault.ErrAgentSessionStale), exitAuth, hint("run 'casevault lock', then 'casevault --identity FILE unlock' again; if the owner changed the key (a rekey, a staff change), the new key file is already in the vault")},
	{is(vault.ErrRemoteRekeyed), exitInvalid, hint("add the remote again under a new name and prefix ('casevault remote add NAME s3://BUCKET/NEW-PREFIX'), then make every other copy anew from a backup of this vault; evidence offloaded to the old remote stays readable from it")},
	{as[*vault.RemoteError](), exitError, hint("check the remote's endpoint and credentials ('casevault remote list') and that the store is up, then run the command again: nothing half-done was recorded")},
	{as[*vault.AuditBreak](), exitDamaged, hint("the log was changed outside casevault: keep this vault untouched as evidence, and compare it with a backup and with partners' witnesses")},
	{as[*vault.EvidenceInUseError](), exitError, field(func(e *vault.EvidenceInUseError) string {
		return "remove " + e.Evidence + " from mistreatment[].evidence with 'casevault case edit " + e.Case + "' first"
	})},
	{as[*vault.EvidenceDamagedError](), exitDamaged, hint("run 'casevault evidence verify --all' and 'casevault check'; restore the file from a backup or the original")},
	{is(vault.ErrRollback), exitDamaged, hint("master.age names an older store than a newer one of this vault beside it (a rollback): keep the vault directory untouched as evidence; nothing was removed, and a backup restored into a new directory ('casevault restore FILE --vault DIR') is the safe way back")},
	{corruptPart(func(w string) bool { return w == "key file master.age" }), exitDamaged, hint("master.age is missing or damaged and the store cannot be read without it: keep the vault directory untouched as evidence and " + restoreHint)},
	{corruptPart(func(w string) bool { return strings.HasPrefix(w, "store") }), exitDamaged, hint("the store or master.age was damaged or replaced: keep the vault directory untouched as evidence and " + restoreHint)},
	{as[*vault.CorruptError](), exitDamaged, hint("run 'casevault check' and restore from a backup if it reports damage")},
	{is(vault.ErrTampered), exitDamaged, hint("run 'casevault check' and restore from a backup if it reports damage")},
	{as[*publish.LeakError](), exitLeak, hint("remove the text from the public fields (publication.summary and others); --review lists each hit with its ID and --allow ID accepts one that is not a leak; --redact masks them")},
	{as[*publish.AnonymityError](), exitLeak, hint("publish these cases under consent full if the person agreed, leave them out with --case, or accept a smaller crowd with --k")},
	{as[*publish.ExcludedError](), exitInvalid, hint("'casevault case show ID' shows where the case came from")},
	{as[*publish.VerifyError](), exitDamaged, hint("do not trust these files: get the publication again from the organisation")},
	{as[*vault.UnknownHitError](), exitNotFound, hint("'casevault publish --review' lists the hits and their IDs")},
	{as[*vault.NotPublishableError](), exitInvalid, hint("set publication.consent to full or anonymous with 'casevault case edit' if the person agreed")},
	{is(publish.ErrOutputExists), exitUsage, hint("choose a new or empty directory with -o")},
	{is(errInterrupted), exitInterrupted, nil},
	{is(context.Canceled), exitInterrupted, nil},
	{is(os.ErrPermission), exitError, hint("check the permissions of the vault directory and the files named")},
	// Categories, for errors of no kind above.
	{is(vault.ErrNotFound), exitNotFound, nil},
	{is(vault.ErrAuth), exitAuth, nil},
	{is(vault.ErrNewer), exitNewer, nil},
	{is(vault.ErrDamaged), exitDamaged, nil},
	{is(vault.ErrInvalid), exitInvalid, nil},
	{is(vault.ErrExists), exitUsage, nil},
}

var errInterrupted = errors.New("interrupted")
