package vault

import (
	"errors"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// A groupScan serves removeFromGroup while updatePostings removes one case
// from the postings of its old tokens (an import's update, an edit). A
// case's postings in groups can only be in groups that number their cases
// in a case table listing the case: the groups the batches that added or
// updated it wrote. So the case tables listing the case are found once for
// the case (one pass over the case tables, a few bytes a case of the
// vault, read and let go), and each token's posting is then looked up
// directly in its group of each of those tables (a point read).
//
// Before, every token seeked to its postings and stepped through all its
// groups, one for every batch that ever wrote the token: a common token
// ("colony", a region) has a group per import batch, so an update cost
// hundreds of steps per token, more with every batch imported (at 300,000
// cases, 31 s of an import's 387 s of CPU for about 200 updates), and the
// time per case of a large import grew with the vault.
type groupScan struct {
	txn    *store.Txn
	id     CaseID
	known  bool
	tables []index.TableID // the case tables listing id, in key order
	// visited counts the posting group records read.
	visited int
}

// groupScanDone, when set (by tests), is called with the posting group
// records an update read to remove a case from its old tokens: a number
// that must not grow with the batches the vault was imported in.
var groupScanDone func(visited int)

// done ends the scan of one case's update.
func (s *groupScan) done() {
	if groupScanDone != nil {
		groupScanDone(s.visited)
	}
}

// tablesOf returns the case tables that list case id.
func (s *groupScan) tablesOf(id CaseID) ([]index.TableID, error) {
	if s.known && s.id == id {
		return s.tables, nil
	}
	it := s.txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PCaseTable}})
	defer it.Close()
	var out []index.TableID
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if len(k) != 1+index.TableIDLen {
			continue
		}
		in := false
		err := item.Value(func(tab []byte) error {
			if index.CheckTable(tab) == nil { // a damaged table is left for check
				_, in = index.TableIndex(tab, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if in {
			var t index.TableID
			copy(t[:], k[1:])
			out = append(out, t)
		}
	}
	s.id, s.known, s.tables = id, true, out
	return out, nil
}

// removeFromTables is removeFromGroup through the case tables listing id:
// it removes id from the first group of the token with this MAC (in key
// order) that holds it, as removeFromGroup's scan did.
func (c *change) removeFromTables(mac []byte, id CaseID) error {
	tabs, err := c.scan.tablesOf(id)
	if err != nil {
		return err
	}
	r := c.reader()
	for _, t := range tabs {
		k := index.GroupKey(mac, t)
		item, err := c.txn.Get(k)
		if errors.Is(err, store.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		c.scan.visited++
		done, err := c.dropFromGroup(r, k, t, item.ValueCopy, id)
		if done || err != nil {
			return err
		}
	}
	return nil
}
