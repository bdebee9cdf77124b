package vault

import (
	"fmt"
	"sort"

	"github.com/casevault/casevault/vault/internal/store"
)

// extraEvidence groups the evidence files named for a bundle
// (ExportBundleOptions.Evidence) by their case; each case must be shared
// with org (byCase holds its shares). An unknown evidence ID or one of a
// case not shared with org is refused, naming it.
func (v *Vault) extraEvidence(txn *store.Txn, org string, byCase map[string]Share, evs []EvidenceID) (map[CaseID][]EvidenceID, error) {
	out := map[CaseID][]EvidenceID{}
	for _, e := range evs {
		owner, err := v.evidenceCase(txn, e)
		if err != nil {
			return nil, err
		}
		if _, ok := byCase[owner.String()]; !ok {
			return nil, fmt.Errorf("evidence %s cannot be sent: %w", e, &NotSharedError{Case: owner.String(), Org: org})
		}
		if err := v.refuseQuarantined(txn, owner); err != nil {
			return nil, err
		}
		out[owner] = append(out[owner], e)
	}
	return out, nil
}

// sortedCases returns the keys of m in order.
func sortedCases(m map[CaseID][]EvidenceID) []CaseID {
	out := make([]CaseID, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
