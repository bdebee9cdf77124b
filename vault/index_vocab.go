package vault

import (
	"bytes"
	"errors"
	"slices"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// The vocabulary of the search index: sealed records of the folded tokens
// some case holds, by their first letters, for prefix queries (see
// index.VocabKey and SECURITY.md, "Search index").

// vocabulary returns the tokens of the vocabulary record of start.
func (v *Vault) vocabulary(txn *store.Txn, start string) ([]string, error) {
	pt, err := v.get(txn, index.VocabKey(v.keys.index, start), v.keys.index)
	if errors.Is(err, errNoRecord) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return index.DecodeVocab(pt), nil
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
	type edit struct{ add, del []string }
	edits := map[string]*edit{}
	at := func(t string) *edit {
		s, _ := index.VocabStartOf(t)
		e := edits[s]
		if e == nil {
			e = &edit{}
			edits[s] = e
		}
		return e
	}
	var postings *store.Iterator // one iterator for every token: each costs a sort of the transaction's writes
	defer func() {
		if postings != nil {
			postings.Close()
		}
	}()
	for t := range c.vocabDel {
		if _, ok := c.postings[string(c.v.tokenMAC(t))]; ok {
			continue // held by a case of this batch
		}
		if postings == nil {
			postings = c.txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}, PrefetchValues: false})
		}
		pfx := postingPrefix(c.v.tokenMAC(t))
		postings.Seek(pfx)
		if postings.Valid() && bytes.HasPrefix(postings.Item().Key(), pfx) {
			continue
		}
		if c.vocabAdd[t] {
			// came and went in this change (a case imported and
			// updated in one batch): never written, nothing to remove
			delete(c.vocabAdd, t)
			continue
		}
		at(t).del = append(at(t).del, t)
	}
	for t := range c.vocabAdd {
		at(t).add = append(at(t).add, t)
	}
	var known, gone []string
	for start, e := range edits {
		toks, err := c.v.vocabulary(c.txn, start)
		if err != nil {
			return err
		}
		toks, added := index.VocabAdd(toks, e.add...)
		toks, removed := index.VocabRemove(toks, e.del...)
		k := index.VocabKey(c.v.keys.index, start)
		switch {
		case len(toks) == 0:
			err = c.del(k)
		case added || removed:
			err = c.put(k, c.v.keys.index, index.EncodeVocab(toks))
		}
		if err != nil {
			return err
		}
		known = append(known, e.add...)
		gone = append(gone, e.del...)
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

// vocabRecords returns the vocabulary records of the tokens toks, sealed
// under sk: the store key and the sealed value of each.
func vocabRecords(sk crypto.Key, toks map[string]bool) map[string][]byte {
	out := vocabPlaintexts(sk, toks)
	for k, pt := range out {
		out[k] = crypto.Seal(sk, pt, recordAD([]byte(k)))
	}
	return out
}

// vocabPlaintexts returns the plaintexts of the vocabulary records of the
// tokens toks by store key (under index key sk).
func vocabPlaintexts(sk crypto.Key, toks map[string]bool) map[string][]byte {
	by := map[string][]string{}
	for t := range toks {
		if s, ok := index.VocabStartOf(t); ok {
			by[s] = append(by[s], t)
		}
	}
	out := make(map[string][]byte, len(by))
	for s, ts := range by {
		slices.Sort(ts)
		out[string(index.VocabKey(sk, s))] = index.EncodeVocab(ts)
	}
	return out
}
