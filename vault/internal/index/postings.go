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

// PostingPrefix is the start of the keys of every posting of the token
// with this MAC.
func PostingPrefix(mac []byte) []byte {
	return append([]byte{store.PPosting}, mac[:MACLen]...)
}

// PostingKey is the key of the single posting that records that case id
// holds the token with this MAC. Its value (see EncodePosting) is the set
// of fields of the case that hold the token. Postings of many cases written
// together are posting groups (GroupKey).
func PostingKey(mac []byte, id ids.CaseID) []byte {
	return append(PostingPrefix(mac), id[:]...)
}

// An Entry is one case of a posting: its ID and the fields that hold the
// token.
type Entry struct {
	ID     ids.CaseID
	Fields FieldSet
}

// EncodePosting is the value of a posting key naming one case: the field
// set of the case (a uvarint count and as many uvarint field numbers),
// then, in index format 2 only, further cases of a group as
// ID(10) ‖ field set; format 3 writes groups under group keys (groups.go)
// and rest is always empty.
func EncodePosting(head FieldSet, rest []Entry) []byte {
	val := AppendFieldSet(make([]byte, 0, 3+len(rest)*(ids.Len+3)), head)
	for _, e := range rest {
		val = append(val, e.ID[:]...)
		val = AppendFieldSet(val, e.Fields)
	}
	return val
}

// ErrBadGroup is a posting or posting group value that does not decode.
var ErrBadGroup = errors.New("search posting damaged")
