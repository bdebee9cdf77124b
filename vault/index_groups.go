package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"slices"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// Posting groups of index format 3 (see index/groups.go and SECURITY.md,
// "Search index"): a group refers to a case table by an 8-byte random ID
// and numbers its cases by their positions in that table.

// groupBatch is how many cases an index rebuild or a rekey collects into
// posting groups (one case table) before it writes them.
const groupBatch = 4000

// newTableID returns a random case table ID for which taken is false.
func newTableID(taken func(index.TableID) bool) index.TableID {
	for {
		var t index.TableID
		_, _ = rand.Read(t[:]) // never fails (crypto/rand)
		if taken == nil || !taken(t) {
			return t
		}
	}
}

// A postingReader reads posting records (single postings and groups) in
// one transaction, with the case tables its groups refer to.
type postingReader struct {
	txn *store.Txn
	// one keeps a single case table: the groups of one token refer to
	// each table once, so a search's memory stays one group and its table.
	one  bool
	tabs map[index.TableID][]byte
}

// isIndexDamage reports whether err says a posting or case table does not
// decode (rather than that the store failed).
func isIndexDamage(err error) bool {
	return errors.Is(err, index.ErrBadGroup) || errors.Is(err, index.ErrBadTable) || errors.Is(err, index.ErrBadFieldSet)
}

// table returns case table t.
func (r *postingReader) table(t index.TableID) ([]byte, error) {
	if tab, ok := r.tabs[t]; ok {
		return tab, nil
	}
	item, err := r.txn.Get(index.TableKey(t))
	if errors.Is(err, store.ErrKeyNotFound) {
		return nil, index.ErrBadTable
	}
	if err != nil {
		return nil, err
	}
	tab, err := item.ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	if err := index.CheckTable(tab); err != nil {
		return nil, err
	}
	if r.tabs == nil || r.one {
		r.tabs = make(map[index.TableID][]byte, 1)
	}
	r.tabs[t] = tab
	return tab, nil
}

// entries appends to dst the cases of the posting record item with the
// fields holding its token: one case for a single posting, the group's
// cases in ID order for a group.
func (r *postingReader) entries(dst []index.Entry, item *store.Item) ([]index.Entry, error) {
	k := item.Key()
	switch len(k) {
	case index.SingleKeyLen:
		var e index.Entry
		copy(e.ID[:], k[1+index.MACLen:])
		err := item.Value(func(val []byte) error {
			var err error
			e.Fields, err = index.DecodeSingle(val)
			return err
		})
		if err != nil {
			return dst, err
		}
		return append(dst, e), nil
	case index.GroupKeyLen:
		t, _ := index.GroupTable(k)
		tab, err := r.table(t)
		if err != nil {
			return dst, err
		}
		err = item.Value(func(val []byte) error {
			var err error
			dst, err = index.DecodeGroup(dst, tab, val)
			return err
		})
		return dst, err
	}
	return dst, index.ErrBadGroup
}

// reader returns the change's posting reader (its tables cached for the
// transaction).
func (c *change) reader() *postingReader {
	if c.groups == nil || c.groups.txn != c.txn {
		c.groups = &postingReader{txn: c.txn}
	}
	return c.groups
}

// writeGroups writes the postings c.postings collected as posting groups
// numbering their cases in one new case table.
func (c *change) writeGroups() error {
	t := newTableID(func(t index.TableID) bool {
		_, err := c.txn.Get(index.TableKey(t))
		return err == nil
	})
	return index.GroupRecords(c.postings, t, c.txn.Set)
}

// removeFromGroup removes case id from the posting group of the token with
// this MAC that holds it, if any: the group is rewritten without it, or
// deleted when it was its last case. A group or table that does not decode
// is left for check.
func (c *change) removeFromGroup(mac []byte, id CaseID) error {
	if c.scan != nil {
		return c.removeFromTables(mac, id) // index_groupscan.go
	}
	r := c.reader()
	pfx := postingPrefix(mac)
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: false})
	defer it.Close()
	for it.Seek(pfx); it.Valid() && bytes.HasPrefix(it.Item().Key(), pfx); it.Next() {
		item := it.Item()
		t, ok := index.GroupTable(item.Key())
		if !ok {
			continue // a single posting
		}
		done, err := c.dropFromGroup(r, item.Key(), t, item.ValueCopy, id)
		if done || err != nil {
			return err
		}
	}
	return nil
}

// dropFromGroup removes case id from the posting group under key k, whose
// cases case table t numbers (value reads the group): the group is
// rewritten without it, or deleted when it was its last case. It reports
// whether the group held id; a group or table that does not decode is left
// for check.
func (c *change) dropFromGroup(r *postingReader, k []byte, t index.TableID, value func([]byte) ([]byte, error), id CaseID) (bool, error) {
	tab, err := r.table(t)
	if err != nil {
		if isIndexDamage(err) {
			return false, nil
		}
		return false, err
	}
	pos, ok := index.TableIndex(tab, id)
	if !ok {
		return false, nil
	}
	val, err := value(nil)
	if err != nil {
		return false, err
	}
	slots, err := index.DecodeGroupSlots(nil, val, len(tab)/idLen)
	if err != nil {
		return false, nil
	}
	i := slices.IndexFunc(slots, func(s index.Slot) bool { return s.Pos == pos })
	if i < 0 {
		return false, nil
	}
	k = bytes.Clone(k) // an iterator's key is reused
	if slots = slices.Delete(slots, i, i+1); len(slots) == 0 {
		return true, c.del(k)
	}
	return true, c.txn.Set(k, index.EncodeGroup(slots))
}

// groupWriter collects postings of many cases (index rebuild, rekey) and
// writes them through set as posting groups, one case table per
// groupBatch cases.
type groupWriter struct {
	set    func(k, v []byte) error
	groups map[string][]index.Entry
	cases  int
	used   map[index.TableID]bool
}

func newGroupWriter(set func(k, v []byte) error) *groupWriter {
	return &groupWriter{set: set, groups: map[string][]index.Entry{}, used: map[index.TableID]bool{}}
}

// add records the postings of one case (token MAC → fields), writing the
// batch when it is full.
func (g *groupWriter) add(mac []byte, e index.Entry) {
	g.groups[string(mac)] = append(g.groups[string(mac)], e)
}

// caseDone counts a case whose postings were added, and writes the
// batch when it holds groupBatch cases.
func (g *groupWriter) caseDone() error {
	if g.cases++; g.cases >= groupBatch {
		return g.flush()
	}
	return nil
}

func (g *groupWriter) flush() error {
	if len(g.groups) > 0 {
		t := newTableID(func(t index.TableID) bool { return g.used[t] })
		g.used[t] = true
		if err := index.GroupRecords(g.groups, t, g.set); err != nil {
			return err
		}
	}
	clear(g.groups)
	g.cases = 0
	return nil
}
