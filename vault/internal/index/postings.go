package index

import (
	"errors"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/store"
)

// MACLen is the length of a token MAC in a posting key.
const MACLen = 8

// TokenMAC is the MAC of a search token under the index key: what a
// posting key holds instead of the token.
func TokenMAC(key crypto.Key, tok string) []byte {
	return crypto.MAC(key, []byte(tok))[:MACLen]
}

// A MACCache remembers token MACs (an import computes the same few
// thousand tokens hundreds of thousands of times). The zero value is
// ready to use; a vault keeps one for as long as it is open.
type MACCache struct {
	key   crypto.Key // the index key the cached MACs are made with
	cache map[string][]byte
}

// maxMACCache bounds the token MAC cache.
const maxMACCache = 1 << 18

// MAC returns TokenMAC(key, tok), from the cache when it can. A new key
// (after a rekey) empties the cache.
func (c *MACCache) MAC(key crypto.Key, tok string) []byte {
	if c.key != key {
		c.cache, c.key = nil, key
	}
	if m, ok := c.cache[tok]; ok {
		return m
	}
	m := TokenMAC(key, tok)
	if c.cache == nil || len(c.cache) > maxMACCache {
		c.cache = make(map[string][]byte)
	}
	c.cache[tok] = m
	return m
}

// PostingPrefix is the start of the keys of every posting of the token
// with this MAC.
func PostingPrefix(mac []byte) []byte {
	return append([]byte{store.PPosting}, mac[:MACLen]...)
}

// PostingKey is the key of the posting that records that case id holds
// the token with this MAC. Its value (see EncodePosting) records the
// fields of the case that hold the token and, for a posting group written
// by an import, further cases and their fields.
func PostingKey(mac []byte, id ids.CaseID) []byte {
	return append(PostingPrefix(mac), id[:]...)
}

// An Entry is one case of a posting: its ID and the fields that hold the
// token.
type Entry struct {
	ID     ids.CaseID
	Fields FieldSet
}

// EncodePosting is the value of a posting (index format 2): the field set
// of the case its key names, then, for a group, each further case as
// ID(10) ‖ field set. A field set is a uvarint count and as many uvarint
// field numbers.
func EncodePosting(head FieldSet, rest []Entry) []byte {
	val := AppendFieldSet(make([]byte, 0, 3+len(rest)*(ids.Len+3)), head)
	for _, e := range rest {
		val = append(val, e.ID[:]...)
		val = AppendFieldSet(val, e.Fields)
	}
	return val
}

// DecodePosting appends the entries of the posting of case head (the ID
// in its key) with value val to dst: head first, then the group's other
// cases.
func DecodePosting(dst []Entry, head ids.CaseID, val []byte) ([]Entry, error) {
	fs, val, err := readFieldSet(val)
	if err != nil {
		return dst, err
	}
	dst = append(dst, Entry{ID: head, Fields: fs})
	for len(val) > 0 {
		if len(val) < ids.Len {
			return dst, ErrBadGroup
		}
		var e Entry
		copy(e.ID[:], val)
		if e.Fields, val, err = readFieldSet(val[ids.Len:]); err != nil {
			return dst, err
		}
		dst = append(dst, e)
	}
	return dst, nil
}

// ErrBadGroup is a posting group value whose length is not a whole
// number of case IDs.
var ErrBadGroup = errors.New("posting group of a bad length")

// The functions below read postings of index format 1 (a value empty, or
// the IDs of further cases), which a vault written before holds until its
// index is rebuilt.

// DecodeGroup appends the case IDs of a format 1 posting group's value to
// dst.
func DecodeGroup(dst []ids.CaseID, val []byte) ([]ids.CaseID, error) {
	if len(val)%ids.Len != 0 {
		return dst, ErrBadGroup
	}
	for i := 0; i < len(val); i += ids.Len {
		var id ids.CaseID
		copy(id[:], val[i:])
		dst = append(dst, id)
	}
	return dst, nil
}
