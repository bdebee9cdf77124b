package vault

import (
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bulk"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// A preparedCase is the work on one import record that needs nothing of
// the records before it, done on the parsing workers (bulk.ParseFileWith)
// while the one writer commits earlier batches: the record's document
// normalised, its size estimate, and — unless the vault already holds
// one of its stable keys — the case it becomes if it is new (an ID, a
// data key, the sealed first revision and its search tokens). The writer
// decides, in file order and inside its transaction, whether the record
// adds, updates or leaves a case; only when it adds is the prepared case
// used, and it is then exactly what addCase would have written (the
// revision's time is the time it was prepared).
type preparedCase struct {
	est  int
	keys recordKeys
	add  *preparedAdd // nil: not prepared (the writer does it all)
}

type preparedAdd struct {
	id      CaseID
	dk      crypto.Key
	wrapped []byte // dk wrapped under the case KEK, bound to the case key record
	rev     *Revision
	sealed  []byte // the revision record, sealed under dk
	// posts are the case's search postings, its token MACs computed;
	// summary is its summary record, sealed under the index key: what
	// indexCase would have written for the tokens, done by a worker.
	posts   []preparedPosting
	summary []byte
	// fresh: no import key record of the record's keys can be in the
	// vault (the writer looks none of them up in the store).
	fresh bool
}

// prepareImport returns the prepare function of an import's second pass.
// Records whose stable key another record of the file has are marked
// Again (sums.Again). (Marking those that share only a charge key too,
// sums.Shared, spared the 89 updates by charge key of a 100,000-case file
// 3.4 s of posting-group scans but wrote 5 % more to the store: the vault
// grew from 1.87 to 1.96 times the file, and the import took longer.)
func (v *Vault) prepareImport(sums bulk.Sums, had bulk.KeyFilter, macs *index.SharedMACCache) func(*bulk.Record) {
	return func(p *bulk.Record) {
		p.Again = sums.Again(p.Doc)
		normalizeLocal(p.Doc, AddOptions{})
		pc := &preparedCase{est: estimateCaseSize(p.Doc)}
		p.Prep = pc
		pc.keys = keysOf(p.Doc)
		if p.Quarantine != nil || len(p.Doc.EvidenceRefs()) > 0 || v.knownImportKey(&pc.keys, had) {
			return // rare, or most likely not a new case: the writer does it
		}
		pc.add = v.prepareAdd(p.Doc, macs)
		if pc.add != nil {
			// None of the record's keys was in the vault just now, and
			// no other record of the file has one: none can be there
			// when the writer comes to it (the import holds the vault).
			pc.add.fresh = !sums.Shared(p.Doc)
		}
	}
}

// importKeyFilter returns a filter of the import key records the vault
// holds: what knownImportKey need not look up.
func (v *Vault) importKeyFilter() (bulk.KeyFilter, error) {
	count := func(fn func(k []byte)) error {
		return v.view(func(txn *store.Txn) error {
			it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pImportKey}})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				fn(it.Item().Key()[1:])
			}
			return nil
		})
	}
	n := 0
	if err := count(func([]byte) { n++ }); err != nil {
		return bulk.KeyFilter{}, err
	}
	f := bulk.NewKeyFilter(n)
	if n == 0 {
		return f, nil
	}
	return f, count(f.Add)
}

// knownImportKey reports whether the vault holds an import key record of
// a record's keys (its external ID, hash or charges); keys the filter of
// the records the vault held when the import began does not have are not
// looked up (the records this import writes are those of keys that other
// records of the file have: bulk.Sums.Shared). An error counts as known:
// the writer then does the work and meets the error itself.
func (v *Vault) knownImportKey(keys *recordKeys, had bulk.KeyFilter) bool {
	var maybe []string
	for _, k := range append([]string{keys.ext, keys.hash}, keys.charges...) {
		if k != "" && had.Has(importKeyKey(v.keys.index, k)[1:]) {
			maybe = append(maybe, k)
		}
	}
	if len(maybe) == 0 {
		return false
	}
	known := false
	err := v.view(func(txn *store.Txn) error {
		for _, k := range maybe {
			_, _, found, err := v.getImportKey(txn, k)
			if err != nil || found {
				known = true
				return err
			}
		}
		return nil
	})
	return known || err != nil
}

// prepareAdd builds what addCase writes for doc as a new imported case;
// nil when it cannot (the writer then meets the reason itself).
func (v *Vault) prepareAdd(doc *schema.Case, macs *index.SharedMACCache) *preparedAdd {
	id := NewCaseID()
	dk := crypto.NewKey()
	canon := doc.Canonical()
	rev := &Revision{CaseID: id.String(), Rev: 1, Time: v.now(), Author: v.author(), Op: OpCaseImport,
		SHA256: cases.Hash(canon), Doc: canon}
	b, err := cases.EncodeRevision(rev)
	if err != nil {
		return nil
	}
	rk := revisionKey(id, 1)
	sk := summaryKey(id)
	return &preparedAdd{
		id:      id,
		dk:      dk,
		wrapped: crypto.WrapKey(v.keys.caseKEK, dk, recordAD(caseKeyKey(id))),
		rev:     rev,
		sealed:  crypto.Seal(dk, b, recordAD(rk)),
		posts:   preparePostings(index.CaseTokens(doc, nil), macs),
		summary: crypto.Seal(v.keys.index, index.EncodeSummary(caseSummary(id, doc, rev)), recordAD(sk)),
	}
}

// addPrepared is addCase (Op OpCaseImport, no provenance) with the work
// a parsing worker did: the same records, keys and audit entry.
func (c *change) addPrepared(doc *schema.Case, pa *preparedAdd) (CaseID, error) {
	if err := c.checkEvidenceRefs(CaseID{}, doc, false); err != nil {
		return CaseID{}, err
	}
	id := pa.id
	if err := c.txn.Set(caseKeyKey(id), pa.wrapped); err != nil {
		return id, err
	}
	if err := c.txn.Set(revisionKey(id, 1), pa.sealed); err != nil {
		return id, err
	}
	if err := c.indexPrepared(id, pa); err != nil {
		return id, err
	}
	c.auditHash(OpCaseImport, []string{id.String()}, mustHex(pa.rev.SHA256))
	return id, nil
}
