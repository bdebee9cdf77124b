package vault

import (
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// custodyFacts is what the evidence store says about an item.
type custodyFacts struct {
	Case, Name, MediaType, SHA256, AddedBy, CollectedBy, CollectedAt, Source string
	Size                                                                     int64
	Added                                                                    time.Time
}

// custodyMeta returns the stored metadata of evidence e, or a
// *NotFoundError once it is gone. (Until the evidence store is on main, the
// report is built from the audit entries alone.)
func (v *Vault) custodyMeta(txn *badger.Txn, e EvidenceID) (*custodyFacts, error) {
	_ = txn
	return nil, &NotFoundError{Kind: "evidence", ID: e.String()}
}
