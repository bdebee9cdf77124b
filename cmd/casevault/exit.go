package main

import (
	"context"
	"errors"
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

// classify maps an error to its exit code and a hint.
func classify(err error) (int, string) {
	var ce *codedError
	if errors.As(err, &ce) {
		if ce.hint == "" {
			_, h := classify(ce.err)
			return ce.code, h
		}
		return ce.code, ce.hint
	}
	var ve *schema.ValidationError
	var vs *schema.VersionError
	var nf *vault.NotFoundError
	var inv *vault.InvalidIDError
	var corrupt *vault.CorruptError
	var brk *vault.AuditBreak
	var inUse *vault.EvidenceInUseError
	var damaged *vault.EvidenceDamagedError
	var bke *vault.BackupError
	var dfe *vault.DiskFullError
	var wfe *vault.WitnessFileError
	var leak *publish.LeakError
	var anonErr *publish.AnonymityError
	var excluded *publish.ExcludedError
	var pubBad *publish.VerifyError
	var notPub *vault.NotPublishableError
	var unknownHit *vault.UnknownHitError
	var bue *vault.BundleError
	var fe *vault.FieldsError
	var oe *vault.OrgExistsError
	var qe *vault.QuarantinedError
	var ole *vault.OrgLookalikeError
	var wie *vault.WitnessImpostorError
	var ele *vault.ExportLimitError
	var ife *vault.ImportFileError
	var weak *vault.WeakPassphraseError
	switch {
	case errors.Is(err, vault.ErrNoVault):
		return exitNoVault, "create one with 'casevault init --org NAME', or point to it with --vault DIR or CASEVAULT_DIR"
	case errors.Is(err, vault.ErrWrongPassphrase):
		return exitAuth, "the passphrase is the one set at 'casevault init' or by 'casevault passwd'"
	case errors.Is(err, vault.ErrWrongIdentity):
		return exitAuth, "the identity file is not this vault's; unlock with the passphrase instead"
	case errors.Is(err, vault.ErrInUse):
		return exitInUse, "wait for the other casevault command to finish, or wait longer with --wait DURATION (such as --wait 1m)"
	case errors.Is(err, vault.ErrNewerVersion):
		return exitNewer, "upgrade casevault to open this vault"
	case errors.Is(err, vault.ErrVaultExists):
		return exitUsage, "choose an empty or new directory with --vault DIR"
	case errors.Is(err, vault.ErrSamePassphrase):
		return exitInvalid, "a coercer who knows the current passphrase would open the new identity too"
	case errors.As(err, &weak):
		return exitInvalid, "choose four or more random words (not a quotation or a song line): long and unpredictable"
	case errors.As(err, &wfe):
		return exitInvalid, "ask the partner for the file again, made with 'casevault audit witness --org OURNAME'"
	case errors.As(err, &bue):
		if bue.Tampered {
			return exitDamaged, "the bundle was altered or damaged in transit, or not made by its claimed sender: ask the sender for a new copy"
		}
		return exitInvalid, "'casevault bundle inspect FILE' shows who sent the bundle and to whom"
	case errors.Is(err, vault.ErrCardSignature):
		return exitDamaged, "the card was altered or forged: ask the partner for it again and compare the fingerprint"
	case errors.Is(err, vault.ErrBadCard), errors.Is(err, vault.ErrBadKeys):
		return exitInvalid, "a card is made with 'casevault org card'"
	case errors.As(err, &fe):
		return exitUsage, "'casevault template' shows every field"
	case errors.As(err, &qe):
		return exitInvalid, "check the case, then lift the quarantine with 'casevault case release " + qe.ID + "'"
	case errors.As(err, &oe):
		return exitInvalid, ""
	case errors.As(err, &ole):
		return exitInvalid, "compare the card's fingerprint with the organisation over another channel; a different organisation must use a distinct name"
	case errors.As(err, &ele):
		return exitInvalid, ""
	case errors.As(err, &wie):
		return exitDamaged, "the file was not made by the partner it names: do not rely on it, and ask that partner for its witness file directly"
	case errors.Is(err, errUnknownWitness):
		return exitInvalid, "compare the key with the holder's card fingerprint over another channel; then repeat with --accept-unknown-witness, or add the holder with 'casevault org add'"
	case errors.As(err, &ve), errors.As(err, &vs):
		return exitInvalid, ""
	case errors.Is(err, schema.ErrTooLarge), errors.Is(err, schema.ErrNotUTF8), errors.Is(err, schema.ErrSyntax):
		return exitInvalid, ""
	case errors.As(err, &dfe):
		return exitError, "free space on the disk that holds the vault"
	case errors.As(err, &bke):
		return exitDamaged, "the backup file is damaged, truncated or not a casevault backup; try another copy"
	case errors.As(err, &nf) && nf.Kind == "organisation":
		return exitNotFound, "'casevault org list' shows the partner organisations"
	case errors.Is(err, vault.ErrImportInvalid), errors.As(err, &ife):
		return exitInvalid, "fix the records listed above, or import the valid ones with --skip-invalid"
	case errors.Is(err, vault.ErrImportChanged):
		return exitInvalid, "'casevault case list' shows what went in; import from a file nobody is writing to"
	case errors.As(err, &nf) && nf.Kind == "revision":
		return exitNotFound, "'casevault case history ID' lists the revisions of a case"
	case errors.As(err, &nf) && nf.Kind == "evidence":
		return exitNotFound, "'casevault evidence list CASE' shows the evidence of a case"
	case errors.As(err, &nf) && (nf.Kind == "share" || nf.Kind == "shared case"):
		return exitNotFound, "'casevault share list' shows which cases are shared with whom"
	case errors.As(err, &nf) && nf.Kind != "case":
		return exitNotFound, ""
	case errors.As(err, &nf):
		return exitNotFound, "'casevault case list' shows the cases in this vault"
	case errors.As(err, &inv):
		return exitUsage, ""
	case errors.As(err, &brk):
		return exitDamaged, "the log was changed outside casevault: keep this vault untouched as evidence, and compare it with a backup and with partners' witnesses"
	case errors.As(err, &inUse):
		return exitError, "remove " + inUse.Evidence + " from mistreatment[].evidence with 'casevault case edit " + inUse.Case + "' first"
	case errors.As(err, &damaged):
		return exitDamaged, "run 'casevault evidence verify --all' and 'casevault check'; restore the file from a backup or the original"
	case errors.Is(err, vault.ErrRollback):
		return exitDamaged, "master.age names an older store than a newer one of this vault beside it (a rollback): keep the vault directory untouched as evidence; nothing was removed, and a backup restored into a new directory ('casevault restore FILE --vault DIR') is the safe way back"
	case errors.As(err, &corrupt) && corrupt.What == "key file master.age":
		return exitDamaged, "master.age is missing or damaged and the store cannot be read without it: keep the vault directory untouched as evidence and restore from a backup into a new directory ('casevault restore FILE --vault DIR')"
	case errors.As(err, &corrupt) && strings.HasPrefix(corrupt.What, "store"):
		return exitDamaged, "the store or master.age was damaged or replaced: keep the vault directory untouched as evidence and restore from a backup into a new directory ('casevault restore FILE --vault DIR')"
	case errors.As(err, &corrupt), errors.Is(err, vault.ErrTampered):
		return exitDamaged, "run 'casevault check' and restore from a backup if it reports damage"
	case errors.As(err, &leak):
		return exitLeak, "remove the text from the public fields (publication.summary and others); --review lists each hit with its ID and --allow ID accepts one that is not a leak; --redact masks them"
	case errors.As(err, &anonErr):
		return exitLeak, "publish these cases under consent full if the person agreed, leave them out with --case, or accept a smaller crowd with --k"
	case errors.As(err, &excluded):
		return exitInvalid, "'casevault case show ID' shows where the case came from"
	case errors.As(err, &pubBad):
		return exitDamaged, "do not trust these files: get the publication again from the organisation"
	case errors.As(err, &unknownHit):
		return exitNotFound, "'casevault publish --review' lists the hits and their IDs"
	case errors.As(err, &notPub):
		return exitInvalid, "set publication.consent to full or anonymous with 'casevault case edit' if the person agreed"
	case errors.Is(err, publish.ErrOutputExists):
		return exitUsage, "choose a new or empty directory with -o"
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return exitInterrupted, ""
	case errors.Is(err, os.ErrPermission):
		return exitError, "check the permissions of the vault directory and the files named"
	}
	return exitError, ""
}

var errInterrupted = errors.New("interrupted")
