package vault

import (
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/audit"
)

// The audit vocabulary and formats (entries, the chain's verification,
// operations, witness files, custody reports) live in vault/internal/audit;
// these names are the API. Appending entries, reading them and storing
// witnessed heads stay here (audit.go, witness.go, custody.go).

// An AuditEntry is one link of the vault's hash chain. Its hash covers all
// fields including the signature; Prev is the hash of the entry before
// (64 zeros for the first). Sig is the organisation's Ed25519 signature of
// the entry without Sig (see [AuditEntry.SignedMessage]).
type AuditEntry = audit.Entry

// AuditHead is the newest entry's sequence number and hash.
type AuditHead = audit.Head

// An AuditFilter selects audit entries for [Vault.AuditLog]. Zero fields
// select everything.
type AuditFilter = audit.Filter

// AuditBreak describes the first broken link found by VerifyAudit.
type AuditBreak = audit.Break

const zeroHash = audit.ZeroHash

// An Op is an audit operation: the "op" of an audit entry (and of a
// revision: the operation that wrote it). The strings are part of the
// on-disk format and of signed entries: never change one.
type Op = audit.Op

// OpInfo are the properties of an operation that check and custody rely
// on.
type OpInfo = audit.OpInfo

// Ops is the table of every operation the vault writes.
var Ops = audit.Ops

// The audit operations, by what they record.
const (
	OpVaultInit            = audit.OpVaultInit
	OpPasswd               = audit.OpPasswd
	OpVaultRekey           = audit.OpVaultRekey
	OpRotateIdentity       = audit.OpRotateIdentity
	OpStoreBind            = audit.OpStoreBind
	OpStaffAdd             = audit.OpStaffAdd
	OpStaffRm              = audit.OpStaffRm
	OpRecoverySplit        = audit.OpRecoverySplit
	OpRecoveryCombine      = audit.OpRecoveryCombine
	OpCaseAdd              = audit.OpCaseAdd
	OpCaseUpdate           = audit.OpCaseUpdate
	OpCaseEdit             = audit.OpCaseEdit
	OpCaseImport           = audit.OpCaseImport
	OpCaseRm               = audit.OpCaseRm
	OpCasePurge            = audit.OpCasePurge
	OpCaseQuarantine       = audit.OpCaseQuarantine
	OpCaseRelease          = audit.OpCaseRelease
	OpCaseConflict         = audit.OpCaseConflict
	OpCaseResolve          = audit.OpCaseResolve
	OpEvidenceAdd          = audit.OpEvidenceAdd
	OpEvidenceImport       = audit.OpEvidenceImport
	OpEvidenceGet          = audit.OpEvidenceGet
	OpEvidenceVerify       = audit.OpEvidenceVerify
	OpEvidenceVerifyFailed = audit.OpEvidenceVerifyFailed
	OpEvidenceRm           = audit.OpEvidenceRm
	OpBundleExport         = audit.OpBundleExport
	OpBundleImport         = audit.OpBundleImport
	OpBundlePart           = audit.OpBundlePart
	OpExport               = audit.OpExport
	OpPublish              = audit.OpPublish
	OpPublishAllow         = audit.OpPublishAllow
	OpShare                = audit.OpShare
	OpUnshare              = audit.OpUnshare
	OpOrgAdd               = audit.OpOrgAdd
	OpOrgUpdate            = audit.OpOrgUpdate
	OpOrgRm                = audit.OpOrgRm
	OpAuditWitness         = audit.OpAuditWitness
	OpCheckRepair          = audit.OpCheckRepair
	OpIndexRebuild         = audit.OpIndexRebuild
	OpCustodyReport        = audit.OpCustodyReport
	OpRemoteAdd            = audit.OpRemoteAdd
	OpRemoteRm             = audit.OpRemoteRm
	OpSyncPush             = audit.OpSyncPush
	OpSyncPull             = audit.OpSyncPull
	OpSyncDelete           = audit.OpSyncDelete
	OpSyncDiscard          = audit.OpSyncDiscard
	OpSyncHold             = audit.OpSyncHold
	OpHeldRestore          = audit.OpHeldRestore
	OpHeldDrop             = audit.OpHeldDrop
	OpSyncCompact          = audit.OpSyncCompact
	OpSyncConflict         = audit.OpSyncConflict
	OpEvidenceSync         = audit.OpEvidenceSync
	OpEvidenceOffload      = audit.OpEvidenceOffload
	OpBackup               = audit.OpBackup
	OpRestore              = audit.OpRestore
)

// WitnessFormat names the witness file format.
const WitnessFormat = audit.WitnessFormat

// MaxWitnessFileSize is the largest witness file ParseWitnessFile reads,
// in bytes.
const MaxWitnessFileSize = audit.MaxWitnessFile

// A WitnessFile is the set of audit heads of one organisation's log (the
// subject) held by a partner (the holder), exported by the holder with
// 'casevault audit witness' and checked by the subject with 'casevault
// audit verify --witness'. The holder signs it with its Ed25519 key.
type WitnessFile = audit.WitnessFile

// A WitnessedHead is one audit head as received by the holder.
type WitnessedHead = audit.WitnessedHead

// WitnessFileError reports a witness file that is malformed, not signed by
// the key it names, or not about this vault's log.
type WitnessFileError = audit.WitnessFileError

// A WitnessCheck is the result of a successful [Vault.VerifyWitness].
type WitnessCheck = audit.WitnessCheck

// NewWitnessFile returns a witness file (indented JSON) of heads of the log
// of organisation subject, held by organisation holder and signed with its
// identity. subjectKey (the subject's verify key) may be nil when unknown.
func NewWitnessFile(holder string, id *crypto.Identity, subject string, subjectKey []byte, heads []WitnessedHead, now time.Time) ([]byte, error) {
	return audit.NewWitnessFile(holder, id, subject, subjectKey, heads, now)
}

// ParseWitnessFile decodes a witness file and checks its form and the
// holder's signature (which proves only that the holder of that key made
// it; whose key it is must be known otherwise, e.g. from its card).
func ParseWitnessFile(b []byte) (*WitnessFile, error) { return audit.ParseWitnessFile(b) }

// CustodyFormat names the JSON custody report format.
const CustodyFormat = audit.CustodyFormat

// MaxCustodyReportSize bounds a JSON custody report read for verification:
// far above a real report (an entry takes about 1.5 KiB), checked before
// parsing.
const MaxCustodyReportSize = audit.MaxCustodyReportSize

// A CustodyReport is the chain of custody of one evidence item, signed
// with the organisation's key; see [CustodyReport.Statement].
type CustodyReport = audit.CustodyReport

// CustodyItem describes the evidence item of a custody report.
type CustodyItem = audit.CustodyItem

// CustodyChain is the result of verifying the whole audit chain.
type CustodyChain = audit.CustodyChain

// A CustodyEntry is one audit entry in a custody report.
type CustodyEntry = audit.CustodyEntry

// A CustodyReportError says why a custody report does not verify.
type CustodyReportError = audit.CustodyReportError

// VerifyCustodyReport checks a JSON custody report as a program would: the
// report's signature over its statement, and every entry's hash, signature
// and listed fields. It trusts the verify key in the report;
// [VerifyCustodyReportFrom] also checks it against the organisation's
// card. Errors are [*CustodyReportError]s.
func VerifyCustodyReport(data []byte) (*CustodyReport, error) {
	return audit.VerifyCustodyReport(data)
}

// VerifyCustodyReportFrom verifies a JSON custody report as
// [VerifyCustodyReport] does and checks that it is signed by the
// organisation of card: the report's verify key and recipient must be the
// card's. Verify the card first (with [ParseCard]) and compare its
// fingerprint with the organisation out of band.
func VerifyCustodyReportFrom(data []byte, card *Card) (*CustodyReport, error) {
	return audit.VerifyCustodyReportFrom(data, card)
}
