package vault

import (
	"bytes"
	"errors"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// tokenMAC returns the MAC of a search token under the index key, cached
// for the life of the open vault.
func (v *Vault) tokenMAC(tok string) []byte { return v.macs.MAC(v.keys.index, tok) }

// indexCase replaces the index entries of a case: old is the previous
// document (nil for a new case).
func (c *change) indexCase(id CaseID, old, doc *schema.Case, rev *Revision) error {
	newToks := index.CaseTokens(doc)
	keep := map[string]bool{}
	for _, t := range newToks {
		keep[t] = true
	}
	var had map[string]bool
	if old != nil {
		had = map[string]bool{}
		for _, t := range index.CaseTokens(old) {
			had[t] = true
			if !keep[t] {
				if err := c.removePosting(c.v.tokenMAC(t), id); err != nil {
					return err
				}
			}
		}
	}
	for _, t := range newToks {
		if had[t] {
			continue
		}
		if err := c.addPosting(c.v.tokenMAC(t), id); err != nil {
			return err
		}
	}
	return c.put(summaryKey(id), c.v.keys.index, index.EncodeSummary(caseSummary(id, doc, rev)))
}

// caseSummary is the list summary of a case at revision rev.
func caseSummary(id CaseID, doc *schema.Case, rev *Revision) Summary {
	var origin string
	if rev.Provenance != nil {
		origin = rev.Provenance.Org
	}
	return index.SummaryOf(id.String(), doc, rev.Rev, rev.Time, origin)
}

func (c *change) unindexCase(id CaseID, old *schema.Case) error {
	for _, t := range index.CaseTokens(old) {
		if err := c.removePosting(c.v.tokenMAC(t), id); err != nil {
			return err
		}
	}
	return c.del(summaryKey(id))
}

// addPosting records that case id holds the token with this MAC: a key of
// its own, or, while a batch collects postings (import), an entry in the
// batch's group for the token.
func (c *change) addPosting(mac []byte, id CaseID) error {
	if c.postings != nil {
		k := string(mac)
		c.postings[k] = append(c.postings[k], id)
		return nil
	}
	return c.txn.Set(postingKey(mac, id), nil)
}

// flushPostings writes the postings a batch collected: one posting group
// per token, keyed by its first case, the other cases in the value.
func (c *change) flushPostings() error {
	for mac, ids := range c.postings {
		if err := c.txn.Set(postingKey([]byte(mac), ids[0]), index.EncodeGroup(ids[1:])); err != nil {
			return err
		}
	}
	c.postings = nil
	return nil
}

// removePosting removes case id from the postings of a token: its own key,
// or its place in a group (the group's first case may be id, in which case
// the group moves to the key of its next case).
func (c *change) removePosting(mac []byte, id CaseID) error {
	k := postingKey(mac, id)
	item, err := c.txn.Get(k)
	if err == nil {
		rest, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
		if len(rest) >= idLen {
			var head CaseID
			copy(head[:], rest)
			return c.txn.Set(postingKey(mac, head), rest[idLen:])
		}
		return nil
	}
	if !errors.Is(err, store.ErrKeyNotFound) {
		return err
	}
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: postingPrefix(mac), PrefetchValues: false})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if item.ValueSize() < idLen {
			continue
		}
		val, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if nv, ok := index.RemoveFromGroup(val, id); ok {
			return c.txn.Set(item.KeyCopy(nil), nv)
		}
	}
	return nil
}

func (v *Vault) decodeSummary(item *store.Item) (Summary, error) {
	var s Summary
	err := item.Value(func(sealed []byte) error {
		var err error
		s, err = decodeSummaryValue(item.Key(), sealed, v.keys.index)
		return err
	})
	return s, err
}

// decodeSummaryValue opens a summary record stored under k and checks that
// it names the case of its key.
func decodeSummaryValue(k, sealed []byte, sk crypto.Key) (Summary, error) {
	pt, err := openRecord(k, sk, sealed)
	if err != nil {
		return Summary{}, err
	}
	var id CaseID
	if len(k) == 1+idLen {
		copy(id[:], k[1:])
	}
	s, err := index.DecodeSummaryOf(pt, id.String())
	if err != nil {
		return s, &CorruptError{What: describeKey(k), Err: err}
	}
	return s, nil
}

// scanThreshold is the number of cases above which summaries are read by
// one pass over all summaries rather than one lookup per case.
const scanThreshold = 2000

// summaries returns the summaries of the cases ids (sorted by ID).
func (v *Vault) summaries(txn *store.Txn, ids []CaseID) ([]Summary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return v.summariesOf(txn, ids, false)
}

// allSummaries returns the summaries of every case.
func (v *Vault) allSummaries(txn *store.Txn) ([]Summary, error) {
	return v.summariesOf(txn, nil, true)
}

func (v *Vault) summariesOf(txn *store.Txn, ids []CaseID, all bool) ([]Summary, error) {
	if all || len(ids) > scanThreshold {
		var out []Summary
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}, PrefetchValues: false})
		defer it.Close()
		i := 0
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if !all {
				k := item.Key()
				for i < len(ids) && bytes.Compare(ids[i][:], k[1:]) < 0 {
					i++
				}
				if i == len(ids) {
					break
				}
				if !bytes.Equal(ids[i][:], k[1:]) {
					continue
				}
			}
			s, err := v.decodeSummary(item)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		item, err := txn.Get(summaryKey(id))
		if errors.Is(err, store.ErrKeyNotFound) {
			continue // a stale posting; check --repair removes it
		}
		if err != nil {
			return nil, err
		}
		s, err := v.decodeSummary(item)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// postings returns the IDs of the cases indexed under one token, sorted.
// A posting key names one case; its value may name more (a group written
// by an import).
func (v *Vault) postings(txn *store.Txn, tok string) ([]CaseID, error) {
	pfx := postingPrefix(v.tokenMAC(tok))
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: false})
	defer it.Close()
	var ids []CaseID
	grouped := false
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if len(k) != len(pfx)+idLen {
			continue
		}
		var id CaseID
		copy(id[:], k[len(pfx):])
		ids = append(ids, id)
		if item.ValueSize() == 0 {
			continue
		}
		grouped = true
		err := item.Value(func(val []byte) error {
			var err error
			if ids, err = index.DecodeGroup(ids, val); err != nil {
				return &CorruptError{What: "search index", Err: err}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if grouped {
		ids = index.SortIDs(ids)
	}
	return ids, nil
}

// Search returns the cases whose indexed text (names, aliases, charges,
// facilities, region, court, public summary) contains every word of query,
// case-insensitively in any script.
func (v *Vault) Search(query string) ([]Summary, error) {
	q, err := index.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	var out []Summary
	err = v.view(func(txn *store.Txn) error {
		hits, err := q.Match(func(tok string) ([]CaseID, error) { return v.postings(txn, tok) })
		if err != nil {
			return err
		}
		out, err = v.summaries(txn, hits)
		return err
	})
	if err != nil {
		return nil, err
	}
	index.SortSummaries(out)
	return out, nil
}
