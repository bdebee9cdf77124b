package vault

import (
	"bytes"
	"slices"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// The vocabulary of the search index: sealed records of the folded tokens
// some case holds, by their first letters, for prefix queries (see
// index.VocabKey and SECURITY.md, "Search index").

// vocabulary returns the tokens of the vocabulary records of start,
// sorted.
func (v *Vault) vocabulary(txn *store.Txn, start string) ([]string, error) {
	pfx := index.VocabStartKey(v.keys.index, start)
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	var toks []string
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return nil, err
		}
		pt, err := openRecord(item.Key(), v.keys.index, sealed)
		if err != nil {
			return nil, err
		}
		toks = append(toks, string(pt))
	}
	slices.Sort(toks)
	return toks, nil
}

// vocabAdded notes that a case now holds token t.
func (c *change) vocabAdded(t string) {
	if _, ok := index.VocabStartOf(t); !ok || c.v.tokens.VocabHas(t) {
		return
	}
	if c.vocabAdd == nil {
		c.vocabAdd = map[string]bool{}
	}
	c.vocabAdd[t] = true
}

// vocabGone notes that a case no longer holds token t: if no other does,
// flushVocab removes it.
func (c *change) vocabGone(t string) {
	if _, ok := index.VocabStartOf(t); !ok {
		return
	}
	if c.vocabDel == nil {
		c.vocabDel = map[string]bool{}
	}
	c.vocabDel[t] = true
}

// flushVocab writes the vocabulary changes of the change: tokens that
// came are added, tokens that went and that no posting holds any more are
// removed (a removed or purged case's words do not stay readable).
func (c *change) flushVocab() error {
	if len(c.vocabAdd) == 0 && len(c.vocabDel) == 0 {
		return nil
	}
	sk := c.v.keys.index
	var known, gone []string
	// The tokens that went are looked up in the order of their posting
	// keys, with one iterator (each costs a sort of the transaction's
	// writes) that moves only forward: the iterator passes over the
	// postings this change deleted once in all, not once a token (a
	// removed case's postings are deleted keys it skips; sought again for
	// each token, 20,000 words of a case alone in its vault took two
	// minutes to remove).
	type went struct {
		t   string
		pfx []byte
	}
	var check []went
	for t := range c.vocabDel {
		mac := c.v.tokenMAC(t)
		if _, ok := c.postings[string(mac)]; ok {
			continue // held by a case of this batch
		}
		check = append(check, went{t, postingPrefix(mac)})
	}
	slices.SortFunc(check, func(a, b went) int { return bytes.Compare(a.pfx, b.pfx) })
	var postings *store.Iterator
	defer func() {
		if postings != nil {
			postings.Close()
		}
	}()
	end := false // no posting from the last key sought on
	for _, w := range check {
		t, pfx := w.t, w.pfx
		if postings == nil {
			postings = c.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}, PrefetchValues: false})
		}
		// The iterator stands on the first posting at or after an
		// earlier (smaller) key: when that is at or after pfx, it is
		// the first at or after pfx too.
		if !end && (!postings.Valid() || bytes.Compare(postings.Item().Key(), pfx) < 0) {
			postings.Seek(pfx)
			end = !postings.Valid()
		}
		if !end && bytes.HasPrefix(postings.Item().Key(), pfx) {
			continue
		}
		// A token that came and went in this change (a case imported
		// and updated in one batch) is not written, and its record is
		// still deleted: noted as added means only that this process's
		// cache did not know it, and an earlier process may have
		// written it (found by an attack: the word stayed readable).
		delete(c.vocabAdd, t)
		k, _ := index.VocabKey(sk, t)
		if err := c.del(k); err != nil {
			return err
		}
		gone = append(gone, t)
	}
	for t := range c.vocabAdd {
		// Written without reading first: a token already in the
		// vocabulary (by an earlier process, as the cache starts
		// empty) is written again with the same plaintext, which costs
		// less than looking for it in every change that imports words.
		k, _ := index.VocabKey(sk, t)
		if err := c.put(k, sk, []byte(t)); err != nil {
			return err
		}
		known = append(known, t)
	}
	c.vocabAdd, c.vocabDel = nil, nil
	c.onCommit(func() {
		for _, t := range known {
			c.v.tokens.VocabAdd(t)
		}
		for _, t := range gone {
			c.v.tokens.VocabRemove(t)
		}
	})
	return nil
}

// writeVocab hands set the vocabulary records of the tokens toks, sealed
// under sk, one at a time (a rebuild's vocabulary can be large).
func writeVocab(sk crypto.Key, toks map[string]bool, set func(k, sealed []byte) error) error {
	for t := range toks {
		if k, ok := index.VocabKey(sk, t); ok {
			if err := set(k, crypto.Seal(sk, []byte(t), recordAD(k))); err != nil {
				return err
			}
		}
	}
	return nil
}

// vocabPlaintexts returns the plaintexts of the vocabulary records of the
// tokens toks by store key (under index key sk).
func vocabPlaintexts(sk crypto.Key, toks map[string]bool) map[string][]byte {
	out := make(map[string][]byte, len(toks))
	for t := range toks {
		if k, ok := index.VocabKey(sk, t); ok {
			out[string(k)] = []byte(t)
		}
	}
	return out
}
