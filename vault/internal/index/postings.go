package index

import (
	"bytes"
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
// the token with this MAC. Its value is empty, or, for a posting group
// written by an import, the IDs of further cases (see EncodeGroup).
func PostingKey(mac []byte, id ids.CaseID) []byte {
	return append(PostingPrefix(mac), id[:]...)
}

// ErrBadGroup is a posting group value whose length is not a whole
// number of case IDs.
var ErrBadGroup = errors.New("posting group of a bad length")

// EncodeGroup is the value of a posting group: the IDs of the cases after
// the first (whose ID is in the key), one after the other.
func EncodeGroup(rest []ids.CaseID) []byte {
	val := make([]byte, 0, len(rest)*ids.Len)
	for _, id := range rest {
		val = append(val, id[:]...)
	}
	return val
}

// DecodeGroup appends the case IDs of a posting group's value to dst.
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

// RemoveFromGroup returns a posting group's value without case id, and
// whether id was in it. It may reuse val's memory.
func RemoveFromGroup(val []byte, id ids.CaseID) ([]byte, bool) {
	for i := 0; i+ids.Len <= len(val); i += ids.Len {
		if bytes.Equal(val[i:i+ids.Len], id[:]) {
			return append(val[:i:i], val[i+ids.Len:]...), true
		}
	}
	return val, false
}
