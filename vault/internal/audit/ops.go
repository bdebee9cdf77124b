package audit

// An Op is an audit operation: the "op" of an audit entry (and of a
// revision: the operation that wrote it). The strings are part of the
// on-disk format and of signed entries: never change one.
type Op string

// The audit operations, by what they record.
const (
	OpVaultInit      Op = "vault.init"
	OpPasswd         Op = "passwd"
	OpVaultRekey     Op = "vault.rekey"
	OpRotateIdentity Op = "vault.rotate-identity"
	OpStoreBind      Op = "store.bind"

	OpCaseAdd        Op = "case.add"
	OpCaseUpdate     Op = "case.update"
	OpCaseEdit       Op = "case.edit"
	OpCaseImport     Op = "case.import"
	OpCaseRm         Op = "case.rm"
	OpCasePurge      Op = "case.purge"
	OpCaseQuarantine Op = "case.quarantine"
	OpCaseRelease    Op = "case.release"
	OpCaseConflict   Op = "case.conflict" // another side's version kept as a conflict revision
	OpCaseResolve    Op = "case.resolve"  // a conflict resolved: a new revision

	OpEvidenceAdd          Op = "evidence.add"
	OpEvidenceImport       Op = "evidence.import"
	OpEvidenceGet          Op = "evidence.get"
	OpEvidenceVerify       Op = "evidence.verify"
	OpEvidenceVerifyFailed Op = "evidence.verify-failed"
	OpEvidenceRm           Op = "evidence.rm"

	OpBundleExport Op = "bundle.export"
	OpBundleImport Op = "bundle.import"
	OpBundlePart   Op = "bundle.part" // a part of a bundle kept until the others arrive
	OpExport       Op = "export"
	OpPublish      Op = "publish"
	OpPublishAllow Op = "publish.allow"
	OpShare        Op = "share"
	OpUnshare      Op = "unshare"
	OpOrgAdd       Op = "org.add"
	OpOrgUpdate    Op = "org.update"
	OpOrgRm        Op = "org.rm"

	OpAuditWitness  Op = "audit.witness"
	OpCheckRepair   Op = "check.repair"
	OpCustodyReport Op = "custody.report"
	OpIndexRebuild  Op = "index.rebuild"

	// Staff and recovery (SECURITY.md, "Staff", "Recovery"): staff.add and
	// staff.rm name the member's staff ID as their first target and must
	// be signed by the organisation key.
	OpStaffAdd        Op = "staff.add"
	OpStaffRm         Op = "staff.rm"
	OpRecoverySplit   Op = "recovery.split"
	OpRecoveryCombine Op = "recovery.combine"
	OpRemoteAdd       Op = "remote.add"
	OpRemoteRm        Op = "remote.rm"
	OpSyncPush        Op = "sync.push"
	OpSyncPull        Op = "sync.pull"
	OpSyncConflict    Op = "sync.conflict"
	OpSyncDelete      Op = "sync.delete"  // targets: remote, object deleted from the store (it held only removed cases)
	OpSyncCompact     Op = "sync.compact" // targets: remote, new pack ("-" when nothing kept), packs it replaces; hash: the new pack's SHA-256
	OpSyncDiscard     Op = "sync.discard" // targets: case, "revision N" or "evidence ID": what another copy's removal deleted here that it did not know
	OpSyncHold        Op = "sync.hold"    // targets: case, "revision N" or "evidence ID": what another copy's removal would have deleted here, held back instead
	OpHeldRestore     Op = "held.restore" // targets: removed case, new case holding its held-back work
	OpHeldDrop        Op = "held.drop"    // targets: removed case whose held-back work was dropped
	OpEvidenceSync    Op = "evidence.sync"
	OpEvidenceOffload Op = "evidence.offload"
	OpBackup          Op = "vault.backup"  // targets: "chain ID", "link N", store kind; content: the file's SHA-256
	OpRestore         Op = "vault.restore" // targets: "chain ID", "links 1-N" (or "backup v1"); content: the last file's SHA-256
)

// OpInfo are the properties of an operation that check and custody rely
// on.
type OpInfo struct {
	// MovesHead: an entry of the op targeting one case alone records that
	// case's new current revision (content = the revision's SHA-256).
	MovesHead bool
	// NamesEvidence: the entry's first target is an evidence item and its
	// content is the SHA-256 of the item's file.
	NamesEvidence bool
	// Origin: the op brings an evidence item into the vault.
	Origin bool
	// RecordsFileHash: the entry that brings the item in records the
	// SHA-256 of its file (a bundle import records the manifest's).
	RecordsFileHash bool
	// RemovesEvidence: the item named is removed; RemovesCase: the case
	// named is removed, with its evidence.
	RemovesEvidence, RemovesCase bool
	// ReportsDamage: the item's file was found damaged.
	ReportsDamage bool
	// Prose says in words, in a custody report, what the op did to an
	// evidence item; empty for ops that do not touch one.
	Prose string
}

// Ops is the table of every operation the vault writes.
var Ops = map[Op]OpInfo{
	OpVaultInit:      {},
	OpPasswd:         {},
	OpVaultRekey:     {},
	OpRotateIdentity: {},
	OpStoreBind:      {},

	OpCaseAdd:        {MovesHead: true},
	OpCaseUpdate:     {MovesHead: true},
	OpCaseEdit:       {MovesHead: true},
	OpCaseImport:     {MovesHead: true},
	OpCaseRm:         {RemovesCase: true, Prose: "its case was removed, with its evidence"},
	OpCasePurge:      {RemovesCase: true, Prose: "its case was purged (destroyed cryptographically), with its evidence"},
	OpCaseQuarantine: {},
	OpCaseRelease:    {},
	OpCaseConflict:   {},
	OpCaseResolve:    {MovesHead: true},

	OpEvidenceAdd:          {NamesEvidence: true, Origin: true, RecordsFileHash: true, Prose: "added to the vault (file hashed with SHA-256 on arrival)"},
	OpEvidenceImport:       {NamesEvidence: true, Origin: true, RecordsFileHash: true, Prose: "received from a partner in an encrypted bundle (file hashed on arrival)"},
	OpEvidenceGet:          {NamesEvidence: true, Prose: "file read out of the vault"},
	OpEvidenceVerify:       {NamesEvidence: true, Prose: "file re-read and checked against its SHA-256: intact"},
	OpEvidenceVerifyFailed: {NamesEvidence: true, ReportsDamage: true, Prose: "file re-read and checked against its SHA-256: **damaged**"},
	OpEvidenceRm:           {NamesEvidence: true, RemovesEvidence: true, Prose: "removed from the vault"},

	OpBundleExport: {Prose: "sent in an encrypted bundle"}, // custodyOpText names the bundle and partner
	OpBundleImport: {MovesHead: true, Origin: true, Prose: "received from a partner in an encrypted bundle"},
	OpBundlePart:   {},
	OpExport:       {},
	OpPublish:      {},
	OpPublishAllow: {},
	OpShare:        {},
	OpUnshare:      {},
	OpOrgAdd:       {},
	OpOrgUpdate:    {},
	OpOrgRm:        {},

	OpAuditWitness:  {},
	OpCheckRepair:   {},
	OpIndexRebuild:  {},
	OpCustodyReport: {Prose: "a chain-of-custody report was produced"},

	OpStaffAdd:        {},
	OpStaffRm:         {},
	OpRecoverySplit:   {},
	OpRecoveryCombine: {},
	OpRemoteAdd:       {},
	OpRemoteRm:        {},
	OpSyncPush:        {},
	OpSyncPull:        {MovesHead: true},
	OpSyncConflict:    {},
	OpSyncDelete:      {},
	OpSyncDiscard:     {},
	OpSyncHold:        {},
	OpHeldRestore:     {},
	OpHeldDrop:        {},
	OpSyncCompact:     {},
	OpEvidenceSync:    {NamesEvidence: true, Origin: true, RecordsFileHash: true, Prose: "received from another copy of this vault through its object store (metadata; the file stays in the store)"},
	OpEvidenceOffload: {NamesEvidence: true, Prose: "uploaded to the object store, verified, and the local copy removed"},
	OpBackup:          {},
	OpRestore:         {},
}

// Info returns the properties of op (the zero OpInfo for an op this
// version does not know, such as one a newer casevault wrote).
func (op Op) Info() OpInfo { return Ops[op] }
