package vault

import (
	"encoding/binary"

	"github.com/casevault/casevault/vault/internal/store"
)

// Store keys: the prefixes and the one table of record kinds live in
// internal/store (kinds.go); these are short names for them.
const (
	pMeta      = store.PMeta
	pAuditHead = store.PAuditHead
	pAudit     = store.PAudit
	pCaseKey   = store.PCaseKey
	pRevision  = store.PRevision
	pEvidence  = store.PEvidence
	pEvidIndex = store.PEvidIndex
	pSummary   = store.PSummary
	pPosting   = store.PPosting
	pOrg       = store.POrg
	pShare     = store.PShare
	pBundle    = store.PBundle
	pWitness   = store.PWitness
	pOrigin    = store.POrigin
	pCaseMeta  = store.PCaseMeta
	pImportKey = store.PImportKey
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
