package store

// Store keys. Every Badger key starts with one prefix byte; none carries a
// name or any text from a case. IDs are random. Search tokens appear only as
// HMACs under the index key. Values are sealed records whose additional data
// binds them to their key, so a value moved to another key fails to open.
// See SECURITY.md, "Store layout".
//
// Every prefix below has exactly one row in Kinds; rekey, restore, check and
// the names of keys in messages are driven by that table (TestKindsComplete
// fails on a constant or a stored key without a row).
const (
	PMeta      = 'm' // m                      -> vault meta (sys key)
	PAuditHead = 'A' // A                      -> audit head (sys key)
	PAudit     = 'a' // a seq(8)               -> audit entry (sys key)
	PCaseKey   = 'k' // k case(10)             -> case data key wrapped under the case KEK
	PRevision  = 'r' // r case(10) rev(4)      -> revision (case key)
	PEvidence  = 'e' // e case(10) evid(10)    -> evidence metadata (case key)
	PEvidIndex = 'E' // E evid(10)             -> case ID owning the evidence (index key)
	PSummary   = 's' // s case(10)             -> list summary (index key)
	PPosting   = 'x' // x mac(8) case(10)      -> fields of the case holding the token (index key used for the MAC); x mac(8) table(8) -> a posting group
	PCaseTable = 'g' // g table(8)             -> search case table: the sorted IDs of the cases a posting group numbers
	PVocab     = 'v' // v mac(8) mac(8)        -> search vocabulary: a folded token, by the MACs of its start and of itself (index key)
	PIndexInfo = 'V' // V                      -> search index format and field list (index key)
	POrg       = 'o' // o mac(8)               -> partner organisation (sys key)
	PShare     = 'h' // h case(10) mac(8)      -> share of a case with an org (sys key)
	PBundle    = 'b' // b bundle(10)           -> imported or exported bundle record (sys key)
	PWitness   = 'w' // w mac(8) seq(8)        -> partner audit head witnessed (sys key)
	POrigin    = 'i' // i mac(8) origin(10)    -> local case holding a partner's case (sys key)
	PCaseMeta  = 'C' // C case(10)             -> case metadata: public IDs, quarantine (sys key)
	PImportKey = 'K' // K mac(16)              -> case an import record's stable key names (index key)
	PStaff     = 'M' // M staff(16)            -> staff member: card, added, removed (sys key)
	PRemote    = 'R' // R remote(8)            -> object-store remote: name, bucket, endpoint, credentials (sys key)
	PSyncCase  = 'J' // J case(10) remote(8)   -> last revision and evidence of the case uploaded to the remote (sys key)
	PSyncObj   = 'G' // G remote(8) name(16)   -> object known on the remote: uploaded or applied here (sys key)
	POffload   = 'O' // O evid(10)             -> evidence kept only in the object store: remote, object, size (sys key)
	PConflict  = 'X' // X case(10) seq(4)      -> conflict revision: another side's version of the case, pending (case key)
	PPart      = 'P' // P bundle(10) part(4)   -> a bundle part kept until the others arrive; its file is in parts/ (sys key)
	PChange    = 'Q' // Q [seq(8)]             -> sync change log: Q alone the last sequence, Q seq the cases one commit changed (sys key)
	PSyncMark  = 'U' // U remote(8)            -> sync cursor of a remote: last change pushed, where the next listing starts (sys key)
	PTomb      = 'T' // T case(10)             -> tombstone of a removed or purged case, carried by sync (sys key)
	PPurgeOut  = 'N' // N remote(8) rand(8)     -> a purge's tombstone still to be sent to a remote re-keyed by that purge, with the old sync keys (sys key)
	PHeld      = 'H' // H case(10)             -> work a removal from another copy would have deleted here, held back: last document, evidence records (sys key)
	PInboxObj  = 'I' // I remote(8) name(16)   -> inbox object sent or received through the remote (sys key); apart from G so an inbox name never stands for a pack
)

// Seal names the key a record's value is sealed with.
type Seal int

const (
	SealNone    Seal = iota // the value is not sealed (Badger encrypts it at rest); the key is a MAC under the index key
	SealSys                 // the vault's system key
	SealIndex               // the index key
	SealCaseKEK             // a data key wrapped under the case key-encryption key
	SealCaseDK              // the case's own data key
)

// Rekey says what rekey (and purge, which is a rekey that leaves a case
// out) does with a record of a kind.
type Rekey int

const (
	RekeyReseal     Rekey = iota // opened with the old key of its Seal, sealed under the new one, same store key
	RekeyRewrap                  // the case data key is unwrapped and wrapped under the new case KEK
	RekeyCopy                    // copied as is: sealed under the case data key, which does not change
	RekeyRebuild                 // dropped and rebuilt from each case's current revision
	RekeyRemapOrg                // the key carries the organisation's MAC under the sys key: recomputed, resealed
	RekeyRemapShare              // the key carries case and organisation MAC: the MAC is remapped, resealed
)

// Purge says how purge recognises a record of the purged case.
type Purge int

const (
	PurgeKeep     Purge = iota // kept (vault-wide records)
	PurgeCase                  // the key starts with the case ID
	PurgeEvidence              // the key is an evidence ID of the purged case
	PurgeOrigin                // the record names the purged case as the local copy
	PurgeRebuilt               // rebuilt from the remaining cases
)

// Check says how check verifies the records of a kind.
type Check int

const (
	CheckAtOpen   Check = iota // read and verified when the vault opens
	CheckAudit                 // verified as the audit chain
	CheckCases                 // enumerates the cases; each case's records are checked with it
	CheckCaseRecs              // opened with the case's data key; orphans without a case key reported
	CheckIndex                 // compared with the records it indexes (and rebuilt by repair)
	CheckOpens                 // each record opens under its sealing key and decodes
)

// A Kind is one kind of store record.
type Kind struct {
	Prefix  byte
	Name    string // for messages: "revision", completed by "of case X" when PerCase
	KeyedBy string // what follows the prefix
	KeyLen  int    // length of the whole key; 0 when it varies
	Seal    Seal
	Backup  bool // carried by a backup (and accepted by restore)
	Rekey   Rekey
	PerCase bool // the key starts with a case ID
	Purge   Purge
	Check   Check
}

// Kinds is the one table of record kinds.
var Kinds = []Kind{
	{PMeta, "vault meta", "", 1, SealSys, true, RekeyReseal, false, PurgeKeep, CheckAtOpen},
	{PAuditHead, "audit head", "", 1, SealSys, true, RekeyReseal, false, PurgeKeep, CheckAudit},
	{PAudit, "audit entry", "seq(8)", 9, SealSys, true, RekeyReseal, false, PurgeKeep, CheckAudit},
	{PCaseKey, "key", "case(10)", 11, SealCaseKEK, true, RekeyRewrap, true, PurgeCase, CheckCases},
	{PRevision, "revision", "case(10) rev(4)", 15, SealCaseDK, true, RekeyCopy, true, PurgeCase, CheckCaseRecs},
	{PEvidence, "evidence record", "case(10) evid(10)", 21, SealCaseDK, true, RekeyCopy, true, PurgeCase, CheckCaseRecs},
	{PEvidIndex, "evidence index", "evid(10)", 11, SealIndex, true, RekeyReseal, false, PurgeEvidence, CheckIndex},
	{PSummary, "summary", "case(10)", 11, SealIndex, true, RekeyReseal, true, PurgeCase, CheckIndex},
	{PPosting, "search posting", "mac(8) case(10) or mac(8) table(8)", 0, SealNone, true, RekeyRebuild, false, PurgeRebuilt, CheckIndex},
	{PCaseTable, "search case table", "table(8)", 9, SealNone, true, RekeyRebuild, false, PurgeRebuilt, CheckIndex},
	{PVocab, "search vocabulary", "mac(8) mac(8)", 17, SealIndex, true, RekeyRebuild, false, PurgeRebuilt, CheckIndex},
	{PIndexInfo, "search index version", "", 1, SealIndex, true, RekeyRebuild, false, PurgeRebuilt, CheckOpens},
	{POrg, "organisation record", "mac(8)", 9, SealSys, true, RekeyRemapOrg, false, PurgeKeep, CheckOpens},
	{PShare, "share", "case(10) mac(8)", 19, SealSys, true, RekeyRemapShare, true, PurgeCase, CheckOpens},
	{PBundle, "bundle record", "bundle(10)", 11, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PWitness, "witness record", "mac(8) seq(8)", 17, SealSys, true, RekeyRemapOrg, false, PurgeKeep, CheckOpens},
	{POrigin, "origin mapping of an imported case", "mac(8) origin(10)", 19, SealSys, true, RekeyRemapOrg, false, PurgeOrigin, CheckOpens},
	{PCaseMeta, "metadata", "case(10)", 11, SealSys, true, RekeyReseal, true, PurgeCase, CheckOpens},
	{PImportKey, "import key", "mac(16)", 17, SealIndex, true, RekeyRebuild, false, PurgeRebuilt, CheckOpens},
	{PStaff, "staff record", "staff(16)", 17, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PRemote, "remote", "remote(8)", 9, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PSyncCase, "sync journal", "case(10) remote(8)", 19, SealSys, true, RekeyReseal, true, PurgeCase, CheckOpens},
	{PSyncObj, "sync object journal", "remote(8) name(16)", 25, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{POffload, "offloaded evidence stub", "evid(10)", 11, SealSys, true, RekeyReseal, false, PurgeEvidence, CheckOpens},
	{PConflict, "conflict revision", "case(10) seq(4)", 15, SealCaseDK, true, RekeyCopy, true, PurgeCase, CheckCaseRecs},
	{PPart, "pending bundle part", "bundle(10) part(4)", 15, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PChange, "sync change log", "[seq(8)]", 0, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PSyncMark, "sync cursor", "remote(8)", 9, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PTomb, "tombstone", "case(10)", 11, SealSys, true, RekeyReseal, true, PurgeCase, CheckOpens},
	{PHeld, "held-back work", "case(10)", 11, SealSys, true, RekeyReseal, true, PurgeCase, CheckOpens},
	{PPurgeOut, "purge to send", "remote(8) rand(8)", 17, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
	{PInboxObj, "inbox object journal", "remote(8) name(16)", 25, SealSys, true, RekeyReseal, false, PurgeKeep, CheckOpens},
}

var kindByPrefix = func() (t [256]*Kind) {
	for i := range Kinds {
		t[Kinds[i].Prefix] = &Kinds[i]
	}
	return t
}()

// KindOf returns the kind of a store key, or nil for a key whose prefix is
// not in the table.
func KindOf(k []byte) *Kind {
	if len(k) == 0 {
		return nil
	}
	return kindByPrefix[k[0]]
}

// KnownPrefix reports whether p is the prefix of a kind that a backup
// carries (and restore accepts).
func KnownPrefix(p byte) bool {
	k := kindByPrefix[p]
	return k != nil && k.Backup
}
