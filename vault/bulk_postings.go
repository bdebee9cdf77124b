package vault

import (
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bulk"
	"github.com/casevault/casevault/vault/internal/index"
)

// A preparedPosting is one search posting of a new imported case as a
// parsing worker prepares it (preparedAdd): the token's MAC as the key a
// batch collects postings under, the fields holding it, and the token
// itself when it belongs in the vocabulary.
type preparedPosting struct {
	mac   string // index.TokenMAC of the token, MACLen bytes
	fs    index.FieldSet
	vocab string // the token if index.VocabStartOf accepts it, else ""
}

// preparePostings is the work of updatePostings(id, nil, toks) that needs
// nothing of the transaction: each token's MAC and whether it goes in the
// vocabulary. The order does not matter: a batch's postings are grouped
// by MAC and sorted when written (index.GroupRecords), and single
// postings are keys of their own.
func preparePostings(toks index.TokenFields, macs *index.SharedMACCache) []preparedPosting {
	out := make([]preparedPosting, 0, len(toks))
	for t, fs := range toks {
		p := preparedPosting{mac: macs.MAC(t), fs: fs}
		if _, ok := index.VocabStartOf(t); ok {
			p.vocab = t
		}
		out = append(out, p)
	}
	return out
}

// indexPrepared is indexCase(id, nil, toks, …) for a case a worker
// prepared: the same postings, vocabulary notes and summary record.
func (c *change) indexPrepared(id CaseID, pa *preparedAdd) error {
	for _, p := range pa.posts {
		if c.postings != nil && !c.single {
			c.postings[p.mac] = append(c.postings[p.mac], index.Entry{ID: id, Fields: p.fs})
		} else if err := c.txn.Set(postingKey([]byte(p.mac), id), index.EncodePosting(p.fs, nil)); err != nil {
			return err
		}
		if p.vocab != "" && !c.v.tokens.VocabHas(p.vocab) {
			if c.vocabAdd == nil {
				c.vocabAdd = map[string]bool{}
			}
			c.vocabAdd[p.vocab] = true
		}
	}
	return c.txn.Set(summaryKey(id), pa.summary)
}

// recordKeys are the import keys of a record (bulk.StableKeys and
// bulk.ChargeKeys of its normalised document), computed once by a parsing
// worker rather than two or three times by the writer.
type recordKeys struct {
	ext, hash string
	charges   []string
}

func keysOf(doc *schema.Case) recordKeys {
	ext, hash := bulk.StableKeys(doc)
	return recordKeys{ext: ext, hash: hash, charges: bulk.ChargeKeys(doc)}
}

// stableKeys is bulk.StableKeys(doc), from the record's keys when the
// change has them (doc is then the record's document).
func (c *change) stableKeys(doc *schema.Case) (ext, hash string) {
	if c.keys != nil {
		return c.keys.ext, c.keys.hash
	}
	return bulk.StableKeys(doc)
}

// chargeKeys is bulk.ChargeKeys(doc), as stableKeys.
func (c *change) chargeKeys(doc *schema.Case) []string {
	if c.keys != nil {
		return c.keys.charges
	}
	return bulk.ChargeKeys(doc)
}
