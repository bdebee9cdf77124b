package vault

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/store"
)

// AddOptions change how a case is added.
type AddOptions struct {
	Op         Op          // audit operation; default OpCaseAdd
	Provenance *Provenance // for cases imported from a bundle
	// Base, when not nil, is the revision an update was based on: if the
	// case has moved on since and the document would undo what changed,
	// the update is refused with a *StaleError (checked in the same
	// transaction as the write).
	Base *uint32
}

// AddCase stores a validated case as revision 1 of a new case and returns
// its ID.
func (v *Vault) AddCase(doc *schema.Case) (CaseID, error) {
	return v.AddCaseWith(doc, AddOptions{})
}

// AddCaseWith is AddCase with options.
func (v *Vault) AddCaseWith(doc *schema.Case, o AddOptions) (CaseID, error) {
	normalizeLocal(doc, o)
	var id CaseID
	err := v.commit(func(c *change) error {
		var err error
		id, err = c.addCase(doc, o)
		return err
	})
	return id, err
}

func (c *change) addCase(doc *schema.Case, o AddOptions) (CaseID, error) {
	return c.addCaseBefore(doc, o, nil)
}

// addCaseBefore is addCase with a hook: before, when not nil, runs once
// the new case and its data key exist and before the document's evidence
// references are checked, so that a bundle import can store the evidence
// the document names in the same change.
func (c *change) addCaseBefore(doc *schema.Case, o AddOptions, before func(id CaseID) error) (CaseID, error) {
	if before == nil {
		if err := c.checkEvidenceRefs(CaseID{}, doc, false); err != nil {
			return CaseID{}, err
		}
	}
	id := NewCaseID()
	dk := crypto.NewKey()
	if err := c.txn.Set(caseKeyKey(id), crypto.WrapKey(c.v.keys.caseKEK, dk, recordAD(caseKeyKey(id)))); err != nil {
		return id, err
	}
	if before != nil {
		if err := before(id); err != nil {
			return id, err
		}
		if err := c.checkEvidenceRefs(id, doc, true); err != nil {
			return id, err
		}
	}
	op := o.Op
	if op == "" {
		op = OpCaseAdd
	}
	rev, err := c.putRevision(id, dk, 1, op, doc, o.Provenance)
	if err != nil {
		return id, err
	}
	var evKey crypto.Key // a case added with evidence (bundle import) is indexed with it
	if before != nil {
		evKey = dk
	}
	toks, err := c.v.caseTokens(c.txn, id, doc, rev, evKey)
	if err != nil {
		return id, err
	}
	if err := c.indexCase(id, nil, toks, doc, rev); err != nil {
		return id, err
	}
	c.auditHash(op, []string{id.String()}, mustHex(rev.SHA256))
	return id, nil
}

func (c *change) putRevision(id CaseID, dk crypto.Key, n uint32, op Op, doc *schema.Case, prov *Provenance) (*Revision, error) {
	canon := doc.Canonical()
	rev := &Revision{CaseID: id.String(), Rev: n, Time: c.v.now(), Author: c.v.author(), Op: op,
		SHA256: cases.Hash(canon), Doc: canon, Provenance: prov}
	b, err := cases.EncodeRevision(rev)
	if err != nil {
		return nil, err
	}
	return rev, c.put(revisionKey(id, n), dk, b)
}

// UpdateCase stores doc as a new revision of case id.
func (v *Vault) UpdateCase(id CaseID, doc *schema.Case) (*Revision, error) {
	return v.UpdateCaseWith(id, doc, AddOptions{Op: OpCaseUpdate})
}

// UpdateCaseWith is UpdateCase with options (operation name, provenance).
func (v *Vault) UpdateCaseWith(id CaseID, doc *schema.Case, o AddOptions) (*Revision, error) {
	normalizeLocal(doc, o)
	var rev *Revision
	err := v.commit(func(c *change) error {
		var err error
		rev, err = c.updateCase(id, doc, o)
		return err
	})
	return rev, err
}

func (c *change) updateCase(id CaseID, doc *schema.Case, o AddOptions) (*Revision, error) {
	dk, err := c.v.caseKey(c.txn, id)
	if err != nil {
		return nil, err
	}
	if err := c.checkEvidenceRefs(id, doc, true); err != nil {
		return nil, err
	}
	cur, err := c.v.latestRevision(c.txn, id, dk)
	if err != nil {
		return nil, err
	}
	old, err := cur.Case()
	if err != nil {
		return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	if o.Base != nil {
		if err := c.v.checkBase(c.txn, id, dk, cur, *o.Base, doc.Canonical()); err != nil {
			return nil, err
		}
	}
	op := o.Op
	if op == "" {
		op = OpCaseUpdate
	}
	prov := o.Provenance
	if prov == nil {
		prov = cur.Provenance
	}
	rev, err := c.putRevision(id, dk, cur.Rev+1, op, doc, prov)
	if err != nil {
		return nil, err
	}
	oldToks, err := c.v.caseTokens(c.txn, id, old, cur, dk)
	if err != nil {
		return nil, err
	}
	toks, err := c.v.caseTokens(c.txn, id, doc, rev, dk)
	if err != nil {
		return nil, err
	}
	if err := c.indexCase(id, oldToks, toks, doc, rev); err != nil {
		return nil, err
	}
	c.auditHash(op, []string{id.String()}, mustHex(rev.SHA256))
	return rev, nil
}

// checkEvidenceRefs requires every mistreatment[].evidence ID to name
// evidence stored with this case.
func (c *change) checkEvidenceRefs(id CaseID, doc *schema.Case, exists bool) error {
	refs := doc.EvidenceRefs()
	if len(refs) == 0 {
		return nil
	}
	var probs []schema.Problem
	for _, r := range refs {
		eid, err := ParseEvidenceID(r)
		if err == nil && exists {
			_, err = c.txn.Get(evidenceKey(id, eid))
		} else if err == nil {
			err = errors.New("new case")
		}
		if err != nil {
			probs = append(probs, schema.Problem{Path: "mistreatment[].evidence", Rule: "evidence",
				Message: fmt.Sprintf("unknown evidence ID %q: add the file to this case as evidence first", r)})
		}
	}
	if len(probs) > 0 {
		return &schema.ValidationError{Problems: probs}
	}
	return nil
}

func (v *Vault) latestRevision(txn *store.Txn, id CaseID, dk crypto.Key) (*Revision, error) {
	if txn.Writes() >= headReadMin {
		if r, ok := v.latestRevisionByHead(txn, id, dk); ok {
			return r, nil
		}
	}
	pfx := revisionPrefix(id)
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, Reverse: true})
	defer it.Close()
	seek := append(bytes.Clone(pfx), 0xff, 0xff, 0xff, 0xff)
	it.Seek(seek)
	if !it.Valid() {
		return nil, &CorruptError{What: "case " + id.String(), Err: errors.New("case has no revision")}
	}
	return v.decodeRevision(it.Item(), id, dk)
}

// headReadMin is the number of writes of a transaction from which
// latestRevision reads by key (latestRevisionByHead) rather than with an
// iterator over the transaction: Badger's iterator over a transaction
// sorts all its pending writes each time one is created, which in an
// import batch of thousands of writes cost a tenth of a 1,000,000-case
// import's CPU, growing with the vault as more records met a case already
// there (issue 14).
const headReadMin = 64

// latestRevisionByHead returns the current revision of case id without an
// iterator over txn: the highest revision committed in the store as txn
// sees it (store.Txn.LastCommitted, a read-only view with txn's read
// timestamp, whatever revisions below it are missing), then the revisions
// txn wrote after it, read by key one after the other (a change writes
// revision n+1 of the current n). ok is false, with nothing read trusted,
// when another transaction committed since txn began, when the case has no
// committed revision, or when what it finds does not read back in txn (txn
// deleted it) or does not open: the caller then looks with an iterator
// over txn, which reports what is wrong.
func (v *Vault) latestRevisionByHead(txn *store.Txn, id CaseID, dk crypto.Key) (*Revision, bool) {
	pfx := revisionPrefix(id)
	last, found, same := txn.LastCommitted(pfx)
	if !same || !found || len(last) != len(pfx)+4 {
		return nil, false
	}
	rev := binary.BigEndian.Uint32(last[len(pfx):])
	for rev < math.MaxUint32 {
		_, err := txn.Get(revisionKey(id, rev+1))
		if errors.Is(err, store.ErrKeyNotFound) {
			break
		}
		if err != nil {
			return nil, false
		}
		rev++
	}
	if rev == 0 || rev == math.MaxUint32 {
		return nil, false
	}
	item, err := txn.Get(revisionKey(id, rev))
	if err != nil {
		return nil, false
	}
	r, err := v.decodeRevision(item, id, dk)
	if err != nil {
		return nil, false
	}
	return r, true
}

func (v *Vault) decodeRevision(item *store.Item, id CaseID, dk crypto.Key) (*Revision, error) {
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	return decodeRevisionValue(item.KeyCopy(nil), sealed, id, dk)
}

// decodeRevisionValue opens and checks a revision record stored under k:
// its number and case must match its place and its document its hash.
func decodeRevisionValue(k, sealed []byte, id CaseID, dk crypto.Key) (*Revision, error) {
	if len(k) != 1+idLen+4 || k[0] != pRevision {
		return nil, &CorruptError{What: describeKey(k), Err: errors.New("not a revision key")}
	}
	pt, err := openRecord(k, dk, sealed)
	if err != nil {
		return nil, err
	}
	r, err := cases.DecodeRevision(pt, id.String(), binary.BigEndian.Uint32(k[len(k)-4:]))
	if err != nil {
		return nil, &CorruptError{What: describeKey(k), Err: err}
	}
	return r, nil
}

// Case returns the current revision of a case.
func (v *Vault) Case(id CaseID) (*Revision, error) {
	var r *Revision
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		r, err = v.latestRevision(txn, id, dk)
		return err
	})
	return r, err
}

// CaseRevision returns revision n of a case.
func (v *Vault) CaseRevision(id CaseID, n uint32) (*Revision, error) {
	var r *Revision
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		item, err := txn.Get(revisionKey(id, n))
		if errors.Is(err, store.ErrKeyNotFound) {
			return &NotFoundError{Kind: NotFoundRevision, ID: fmt.Sprintf("%d of case %s", n, id)}
		}
		if err != nil {
			return err
		}
		r, err = v.decodeRevision(item, id, dk)
		return err
	})
	return r, err
}

// History returns every revision of a case, oldest first.
func (v *Vault) History(id CaseID) ([]*Revision, error) {
	var out []*Revision
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		it := txn.NewIterator(store.IteratorOptions{Prefix: revisionPrefix(id), PrefetchValues: true, PrefetchSize: 16})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			r, err := v.decodeRevision(it.Item(), id, dk)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveCase deletes a case: its key, revisions, evidence records and
// files, index entries and shares. The data key is gone with it, so stored
// copies of its records no longer open once the master key has been
// rotated (see Purge).
func (v *Vault) RemoveCase(id CaseID) error {
	return v.commit(func(c *change) error { return c.removeCase(id, OpCaseRm) })
}

func (c *change) removeCase(id CaseID, op Op) error {
	dk, err := c.v.caseKey(c.txn, id)
	if err != nil {
		return err
	}
	cur, err := c.v.latestRevision(c.txn, id, dk)
	var old *schema.Case
	if err == nil {
		old, err = cur.Case()
	}
	switch {
	case err == nil:
		toks, err := c.v.caseTokens(c.txn, id, old, cur, dk)
		if err != nil {
			return err
		}
		if err := c.unindexCase(id, toks); err != nil {
			return err
		}
	case errors.Is(err, errRecordTooLarge) || errors.Is(err, schema.ErrTooLarge):
		// Stored too large to read by an older casevault: removed
		// without decoding its document.
		if cur, err = c.v.revisionHead(c.txn, id, dk); err != nil {
			return err
		}
		if err := c.unindexAll(id); err != nil {
			return err
		}
	default:
		return err
	}
	if err := c.writeTombstone(id, op, cur.SHA256, nil); err != nil {
		return err
	}
	if err := c.removeCaseEvidence(id, dk); err != nil {
		return err
	}
	for _, pfx := range [][]byte{revisionPrefix(id), sharePrefix(id), conflictPrefix(id), key(store.PSyncCase, id[:])} {
		if err := c.deletePrefix(pfx); err != nil {
			return err
		}
	}
	if err := c.del(caseKeyKey(id)); err != nil {
		return err
	}
	if err := c.del(caseMetaKey(id)); err != nil {
		return err
	}
	if err := c.removeImportKeys(id); err != nil {
		return err
	}
	c.auditHash(op, []string{id.String()}, mustHex(cur.SHA256))
	return nil
}

func (c *change) deletePrefix(pfx []byte) error {
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: pfx})
	var keys [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	it.Close()
	for _, k := range keys {
		if err := c.del(k); err != nil {
			return err
		}
	}
	return nil
}

// CaseIDs returns the IDs of all cases, sorted.
func (v *Vault) CaseIDs() ([]CaseID, error) {
	var ids []CaseID
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pCaseKey}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var id CaseID
			copy(id[:], it.Item().Key()[1:])
			ids = append(ids, id)
		}
		return nil
	})
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	return ids, err
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
