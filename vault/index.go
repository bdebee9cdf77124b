package vault

import (
	"errors"
	"slices"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// tokenMAC returns the MAC of a search token under the index key, cached
// for the life of the open vault.
func (v *Vault) tokenMAC(tok string) []byte {
	return v.tokens.MAC(make([]byte, 0, index.MACLen), v.keys.index, tok)
}

// caseTokens returns the tokens of case id whose current document is doc,
// with its evidence as the transaction sees it (dk is the case's data
// key; a zero key reads no evidence: a new case has none), and the token
// of the partner organisation it was imported from (rev's provenance).
func (v *Vault) caseTokens(txn *store.Txn, id CaseID, doc *schema.Case, rev *Revision, dk crypto.Key) (index.TokenFields, error) {
	var metas []evidence.Meta
	if dk != (crypto.Key{}) {
		recs, err := v.caseEvidence(txn, id, dk)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			metas = append(metas, r.EvidenceMeta)
		}
	}
	tf := index.CaseTokens(doc, metas)
	tf.AddOrg(revisionOrigin(rev))
	return tf, nil
}

// revisionOrigin is the partner organisation a revision was imported
// from, "" for one of ours (the summary's Origin).
func revisionOrigin(rev *Revision) string {
	if rev == nil || rev.Provenance == nil {
		return ""
	}
	return rev.Provenance.Org
}

// indexCase replaces the index entries of a case: old are the tokens of
// its previous state (nil for a new case), toks those of the new one.
func (c *change) indexCase(id CaseID, old, toks index.TokenFields, doc *schema.Case, rev *Revision) error {
	if err := c.updatePostings(id, old, toks); err != nil {
		return err
	}
	return c.put(summaryKey(id), c.v.keys.index, index.EncodeSummary(caseSummary(id, doc, rev)))
}

// updatePostings changes the postings of case id from the tokens old to
// the tokens toks: a token gone or found in other fields loses its
// posting, a new one or one in other fields gets one. Tokens that appear
// or go are noted for the vocabulary (flushVocab).
func (c *change) updatePostings(id CaseID, old, toks index.TokenFields) error {
	if len(old) > 0 && c.scan == nil {
		c.scan = &groupScan{txn: c.txn}
		defer func() { c.scan.done(); c.scan = nil }()
	}
	for _, t := range old.Sorted() {
		nfs, keep := toks[t]
		if keep && nfs == old[t] {
			continue
		}
		if err := c.removePosting(c.v.tokenMAC(t), id); err != nil {
			return err
		}
		if !keep {
			c.vocabGone(t)
		}
	}
	for _, t := range toks.Sorted() {
		ofs, had := old[t]
		if had && ofs == toks[t] {
			continue
		}
		if err := c.addPosting(c.v.tokenMAC(t), id, toks[t]); err != nil {
			return err
		}
		if !had {
			c.vocabAdded(t)
		}
	}
	return nil
}

// caseSummary is the list summary of a case at revision rev.
func caseSummary(id CaseID, doc *schema.Case, rev *Revision) Summary {
	var origin string
	if rev.Provenance != nil {
		origin = rev.Provenance.Org
	}
	return index.SummaryOf(id.String(), doc, rev.Rev, rev.Time, origin)
}

func (c *change) unindexCase(id CaseID, old index.TokenFields) error {
	if err := c.updatePostings(id, old, nil); err != nil {
		return err
	}
	return c.del(summaryKey(id))
}

// reindexEvidence updates the postings of case id after its evidence
// changed: before are the tokens the case had. A case without a revision
// yet (a bundle import stores evidence first) is indexed when it is added.
func (c *change) reindexEvidence(id CaseID, dk crypto.Key, before func(now []evidence.Meta) []evidence.Meta) error {
	cur, err := c.v.latestRevision(c.txn, id, dk)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) && !c.hasRevision(id) {
			return nil
		}
		return err
	}
	doc, err := cur.Case()
	if err != nil {
		return &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	recs, err := c.v.caseEvidence(c.txn, id, dk)
	if err != nil {
		return err
	}
	var now []evidence.Meta
	for _, r := range recs {
		now = append(now, r.EvidenceMeta)
	}
	return c.updatePostings(id, index.CaseTokens(doc, before(now)), index.CaseTokens(doc, now))
}

// hasRevision reports whether case id has a revision in the transaction.
func (c *change) hasRevision(id CaseID) bool {
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: revisionPrefix(id)})
	defer it.Close()
	it.Rewind()
	return it.Valid()
}

// addPosting records that case id holds the token with this MAC in the
// fields fs: a key of its own, or, while a batch collects postings
// (import), an entry in the batch's group for the token.
func (c *change) addPosting(mac []byte, id CaseID, fs index.FieldSet) error {
	if c.postings != nil && !c.single {
		k := string(mac)
		c.postings[k] = append(c.postings[k], index.Entry{ID: id, Fields: fs})
		return nil
	}
	return c.txn.Set(postingKey(mac, id), index.EncodePosting(fs, nil))
}

// flushPostings writes the postings a batch collected: one posting group
// per token, numbering the batch's cases in one new case table (index
// format 3, see writeGroups).
func (c *change) flushPostings() error {
	var err error
	if len(c.postings) > 0 {
		err = c.writeGroups()
	}
	c.postings = nil
	return err
}

// removePosting removes case id from the postings of a token: its own key,
// or its place in a posting group.
func (c *change) removePosting(mac []byte, id CaseID) error {
	if c.postings != nil {
		if es, ok := c.postings[string(mac)]; ok {
			n := len(es)
			es = slices.DeleteFunc(es, func(e index.Entry) bool { return e.ID == id })
			if len(es) == 0 {
				delete(c.postings, string(mac))
			} else {
				c.postings[string(mac)] = es
			}
			if len(es) < n {
				// Collected by this batch, so not in the store: the
				// batch added it as new or moved (removed first).
				return nil
			}
		}
	}
	k := postingKey(mac, id)
	_, err := c.txn.Get(k)
	if err == nil {
		return c.del(k)
	}
	if !errors.Is(err, store.ErrKeyNotFound) {
		return err
	}
	return c.removeFromGroup(mac, id)
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
	var out []Summary
	err := v.eachSummary(txn, ids, all, func(s Summary) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// postings returns the IDs of the cases indexed under one token, sorted.
func (v *Vault) postings(txn *store.Txn, tok string) ([]CaseID, error) {
	es, err := v.postingEntries(txn, tok)
	if err != nil {
		return nil, err
	}
	ids := make([]CaseID, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids, nil
}

// postingEntries returns the cases indexed under one token with the
// fields that hold it, sorted by case ID. A posting key names one case or
// a posting group (written by an import, a rebuild or a rekey).
func (v *Vault) postingEntries(txn *store.Txn, tok string) ([]index.Entry, error) {
	pfx := postingPrefix(v.tokenMAC(tok))
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: false})
	defer it.Close()
	r := postingReader{txn: txn, one: true}
	var es []index.Entry
	grouped := false
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if len(item.Key()) == index.GroupKeyLen {
			grouped = true
		}
		var err error
		if es, err = r.entries(es, item); err != nil {
			if isIndexDamage(err) {
				return nil, &CorruptError{What: "search index", Err: err}
			}
			return nil, err
		}
	}
	if grouped {
		es = index.SortEntries(es)
	}
	return es, nil
}
