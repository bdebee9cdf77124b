package vault

import (
	"github.com/casevault/casevault/crypto"
	badger "github.com/dgraph-io/badger/v4"
)

// removeCaseEvidence deletes the evidence records of a case and their index
// entries. (Evidence files are added by the evidence feature.)
func (c *change) removeCaseEvidence(id CaseID, dk crypto.Key) error {
	_ = dk
	pfx := evidencePrefix(id)
	it := c.txn.NewIterator(badger.IteratorOptions{Prefix: pfx})
	var keys [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	it.Close()
	for _, k := range keys {
		var e EvidenceID
		copy(e[:], k[len(pfx):])
		if err := c.del(evidenceIndexKey(e)); err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
	}
	return nil
}
