package vault

import "encoding/binary"

// Store keys. Every Badger key starts with one prefix byte; none carries a
// name or any text from a case. IDs are random. Search tokens appear only as
// HMACs under the index key. Values are sealed records (crypto.Seal) whose
// additional data is recordAD(key), so a value moved to another key fails to
// open. See SECURITY.md, "Store layout".
//
// A new prefix must also be handled by rekey (copyRecords in rekey.go, which
// refuses unknown prefixes) and accepted by restore (knownPrefix in
// backup.go).
const (
	pMeta      = 'm' // m                      -> vault meta (sys key)
	pAuditHead = 'A' // A                      -> audit head (sys key)
	pAudit     = 'a' // a seq(8)               -> audit entry (sys key)
	pCaseKey   = 'k' // k case(10)             -> case data key wrapped under the case KEK
	pRevision  = 'r' // r case(10) rev(4)      -> revision (case key)
	pEvidence  = 'e' // e case(10) evid(10)    -> evidence metadata (case key)
	pEvidIndex = 'E' // E evid(10)             -> case ID owning the evidence (index key)
	pSummary   = 's' // s case(10)             -> list summary (index key)
	pPosting   = 'x' // x mac(8) case(10)      -> empty (index key used for the MAC)
	pOrg       = 'o' // o mac(8)               -> partner organisation (sys key)
	pShare     = 'h' // h case(10) mac(8)      -> share of a case with an org (sys key)
	pBundle    = 'b' // b bundle(10)           -> imported or exported bundle record (sys key)
	pWitness   = 'w' // w mac(8) seq(8)        -> partner audit head witnessed (sys key)
	pOrigin    = 'i' // i mac(8) origin(10)    -> local case holding a partner's case (sys key)
	pCaseMeta  = 'C' // C case(10)             -> case metadata: public IDs, quarantine (sys key)
)

func key(prefix byte, parts ...[]byte) []byte {
	n := 1
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	k = append(k, prefix)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

func u32(v uint32) []byte { b := make([]byte, 4); binary.BigEndian.PutUint32(b, v); return b }
func u64(v uint64) []byte { b := make([]byte, 8); binary.BigEndian.PutUint64(b, v); return b }

func metaKey() []byte                             { return []byte{pMeta} }
func auditHeadKey() []byte                        { return []byte{pAuditHead} }
func auditKey(seq uint64) []byte                  { return key(pAudit, u64(seq)) }
func caseKeyKey(c CaseID) []byte                  { return key(pCaseKey, c[:]) }
func revisionPrefix(c CaseID) []byte              { return key(pRevision, c[:]) }
func revisionKey(c CaseID, rev uint32) []byte     { return key(pRevision, c[:], u32(rev)) }
func evidencePrefix(c CaseID) []byte              { return key(pEvidence, c[:]) }
func evidenceKey(c CaseID, e EvidenceID) []byte   { return key(pEvidence, c[:], e[:]) }
func evidenceIndexKey(e EvidenceID) []byte        { return key(pEvidIndex, e[:]) }
func summaryKey(c CaseID) []byte                  { return key(pSummary, c[:]) }
func postingPrefix(tokenMAC []byte) []byte        { return key(pPosting, tokenMAC[:8]) }
func postingKey(tokenMAC []byte, c CaseID) []byte { return key(pPosting, tokenMAC[:8], c[:]) }
func sharePrefix(c CaseID) []byte                 { return key(pShare, c[:]) }
func witnessPrefix(orgMAC []byte) []byte          { return key(pWitness, orgMAC[:8]) }
func witnessKey(orgMAC []byte, seq uint64) []byte { return key(pWitness, orgMAC[:8], u64(seq)) }
func orgKey(orgMAC []byte) []byte                 { return key(pOrg, orgMAC) }
func shareKey(c CaseID, orgMAC []byte) []byte     { return key(pShare, c[:], orgMAC) }
func bundleKey(b BundleID) []byte                 { return key(pBundle, b[:]) }
func originKey(orgMAC []byte, c CaseID) []byte    { return key(pOrigin, orgMAC, c[:]) }
func caseMetaKey(c CaseID) []byte                 { return key(pCaseMeta, c[:]) }

// recordAD is the additional data that binds a sealed value to its store
// key: the case, the kind of record and the revision are all in the key.
func recordAD(k []byte) []byte {
	return append([]byte("casevault record v1\x00"), k...)
}
