package vault

import "github.com/casevault/casevault/vault/internal/store"

// A groupScan is one iterator over the posting keys that removeFromGroup
// seeks in for token after token while updatePostings removes a case from
// the postings of its old tokens. A Badger iterator of a read-write
// transaction sorts a copy of all the transaction's writes when it is made
// and opens every table of the store: made for each token, as before,
// that cost grew with the batch and the vault (an import updating a case
// by its charges removed it from hundreds of tokens, each an iterator).
//
// The iterator sees the transaction as it was when it was made; that is
// what removeFromGroup must read for a token whose posting groups nothing
// wrote since. It writes the group of the token it removes from, so a
// token whose MAC was already seen (two tokens of one case with the same
// 8-byte MAC) gets a fresh iterator.
type groupScan struct {
	txn  *store.Txn
	it   *store.Iterator
	seen map[string]bool // MACs removed from with it
}

// iterator returns an iterator over posting keys that sees every write of
// the transaction to the postings of mac.
func (s *groupScan) iterator(mac []byte) *store.Iterator {
	if s.it != nil && s.seen[string(mac)] {
		s.close()
	}
	if s.it == nil {
		s.it = s.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}, PrefetchValues: false})
		s.seen = map[string]bool{}
	}
	s.seen[string(mac)] = true
	return s.it
}

func (s *groupScan) close() {
	if s.it != nil {
		s.it.Close()
		s.it = nil
	}
}
