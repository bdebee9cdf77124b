package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// revisionHead returns the latest revision of a case with its fields but
// without its document, reading only the start of the record: the case,
// number and hash come before the document. It is how a revision too
// large to read (errRecordTooLarge) is removed and purged. The record is
// authenticated by its AEAD as any other.
func (v *Vault) revisionHead(txn *store.Txn, id CaseID, dk crypto.Key) (*Revision, error) {
	pfx := revisionPrefix(id)
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, Reverse: true})
	defer it.Close()
	it.Seek(append(bytes.Clone(pfx), 0xff, 0xff, 0xff, 0xff))
	if !it.Valid() {
		return nil, &CorruptError{What: "case " + id.String(), Err: errors.New("case has no revision")}
	}
	k := it.Item().KeyCopy(nil)
	sealed, err := it.Item().ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	pt, err := openRecord(k, dk, sealed)
	if err != nil {
		return nil, err
	}
	rev, err := cases.DecodeRevisionHead(pt, id.String(), binary.BigEndian.Uint32(k[len(k)-4:]))
	if err != nil {
		return nil, &CorruptError{What: describeKey(k), Err: err}
	}
	return rev, nil
}

// unindexAll removes case id from every posting and its summary, for a
// case whose document cannot be read to list its tokens.
func (c *change) unindexAll(id CaseID) error {
	var macs [][]byte
	r := c.reader()
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}})
	var es []index.Entry
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		var err error
		es, err = r.entries(es[:0], it.Item())
		if err != nil && !isIndexDamage(err) {
			it.Close()
			return err
		}
		if slices.ContainsFunc(es, func(e index.Entry) bool { return e.ID == id }) {
			macs = append(macs, bytes.Clone(k[1:1+index.MACLen]))
		}
	}
	it.Close()
	for _, mac := range macs {
		if err := c.removePosting(mac, id); err != nil {
			return err
		}
	}
	return c.del(summaryKey(id))
}
