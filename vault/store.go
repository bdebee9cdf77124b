package vault

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// errReadOnly is returned by a change to a vault opened with ReadOnly.
var errReadOnly = errors.New("vault is open for reading only")

// ErrClosed is returned by a vault's methods after Close: its store is
// closed and its keys are wiped.
var ErrClosed = errors.New("vault is closed")

// live returns ErrClosed once the vault is closed. Every way into the
// store goes through it (commit, view and the few direct uses), so a
// method called after Close fails rather than dereferencing the closed
// store.
func (v *Vault) live() error {
	if v.db == nil {
		return ErrClosed
	}
	return nil
}

// ErrChangeTooLarge is returned (wrapping the store's "transaction too
// big") by a change that does not fit in one store transaction: a case
// with tens of thousands of distinct words, each a posting and a
// vocabulary record to write or delete. Nothing of it is written.
var ErrChangeTooLarge = errs.New(errs.ErrInvalid, "change too large for one transaction: a case with this many distinct words cannot be written at once (keep long texts such as transcripts in evidence files)")

// errNoRecord is returned by get when a key is absent.
var errNoRecord = errors.New("no record")

// errChangeWithoutAudit is returned by commit for a change that recorded
// no audit entry; nothing of it is written.
var errChangeWithoutAudit = errors.New("internal error: a change without an audit entry was refused; nothing was written")

// A change is one Badger transaction together with the audit entries that
// describe it. Everything a change writes, its audit entries included,
// commits atomically or not at all.
type change struct {
	v       *Vault
	txn     *store.Txn
	entries []pendingAudit
	after   []func() // run after a successful commit (e.g. removing files)
	// keepBlobs names evidence files a case removal leaves on disk: held
	// back by a removal from another copy (sync_held.go).
	keepBlobs map[string]bool
	// postings, when not nil, collects search postings by token MAC to be
	// written as groups by flushPostings (bulk import).
	postings map[string][]index.Entry
	// single, while set, writes the postings of the case being imported
	// as keys of their own even when postings collects groups: a later
	// record of the file updates that case (bulk.Sums.Again), and its
	// removePosting then finds each at once instead of scanning every
	// group of the token.
	single bool
	// prepared, while set, is the new case a parsing worker prepared for
	// the record being imported (preparedCase), used if it adds a case.
	prepared *preparedAdd
	// keys, while set, are the import keys of the record being imported
	// as a parsing worker computed them (recordKeys).
	keys *recordKeys
	// vocabAdd and vocabDel are tokens that came and went, for the search
	// vocabulary (flushVocab, at commit).
	vocabAdd, vocabDel map[string]bool
	// groups reads posting groups and caches their case tables for the
	// transaction (removeFromGroup).
	groups *postingReader
	// scan, while updatePostings removes a case's old postings, is the
	// one iterator removeFromGroup seeks in (groupScan).
	scan *groupScan
	// touched are the cases whose records the change wrote or deleted,
	// for the sync change log (logChanges, at commit).
	touched map[CaseID]struct{}
}

type pendingAudit struct {
	op      Op
	targets []string
	content []byte // hashed with SHA-256 into the entry
	hash    []byte // already a SHA-256, used as is when content is nil
}

// audit records that this change performs op on targets; content (may be
// nil) is hashed into the entry.
func (c *change) audit(op Op, targets []string, content []byte) {
	c.entries = append(c.entries, pendingAudit{op: op, targets: targets, content: content})
}

// auditHash is audit with an already computed SHA-256 of the content.
func (c *change) auditHash(op Op, targets []string, sha256 []byte) {
	c.entries = append(c.entries, pendingAudit{op: op, targets: targets, hash: sha256})
}

// onCommit schedules f to run once the change has committed.
func (c *change) onCommit(f func()) { c.after = append(c.after, f) }

// commit runs fn in a read-write transaction, appends its audit entries and
// commits. If fn fails nothing is written.
func (v *Vault) commit(fn func(c *change) error) error {
	if err := v.live(); err != nil {
		return err
	}
	if v.opts.ReadOnly {
		return errReadOnly
	}
	if err := v.checkSpace(0); err != nil {
		return err
	}
	err := v.commitTxn(fn)
	if errors.Is(err, store.ErrTxnTooBig) {
		err = fmt.Errorf("%w: %w", ErrChangeTooLarge, err)
	}
	return err
}

// commitTxn is commit in one store transaction.
func (v *Vault) commitTxn(fn func(c *change) error) error {
	txn := v.db.NewTransaction(true)
	defer txn.Discard()
	c := &change{v: v, txn: txn}
	c.watchCases()
	if err := fn(c); err != nil {
		return err
	}
	if err := c.flushVocab(); err != nil {
		return err
	}
	if err := c.logChanges(); err != nil {
		return err
	}
	if len(c.entries) == 0 {
		// Every change is recorded: a change that forgot its audit entry
		// must not land (SECURITY.md, "Audit log").
		return errChangeWithoutAudit
	}
	if err := v.appendAudit(txn, c.entries); err != nil {
		return err
	}
	if err := txn.Commit(); err != nil {
		return err
	}
	for _, f := range c.after {
		f()
	}
	return nil
}

// view runs fn in a read-only transaction.
func (v *Vault) view(fn func(txn *store.Txn) error) error {
	if err := v.live(); err != nil {
		return err
	}
	return v.db.View(fn)
}

func (c *change) put(k []byte, sk crypto.Key, plaintext []byte) error {
	return c.txn.Set(k, crypto.Seal(sk, plaintext, recordAD(k)))
}

func (c *change) putJSON(k []byte, sk crypto.Key, val any) error {
	b, err := marshalJSON(val)
	if err != nil {
		return err
	}
	return c.put(k, sk, b)
}

func (c *change) del(k []byte) error { return c.txn.Delete(k) }

// get reads and opens a sealed record; txn may be nil for a fresh read.
func (v *Vault) get(txn *store.Txn, k []byte, sk crypto.Key) ([]byte, error) {
	if txn == nil {
		var out []byte
		err := v.view(func(t *store.Txn) error {
			var err error
			out, err = v.get(t, k, sk)
			return err
		})
		return out, err
	}
	item, err := txn.Get(k)
	if errors.Is(err, store.ErrKeyNotFound) {
		return nil, errNoRecord
	}
	if err != nil {
		return nil, err
	}
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return nil, err
	}
	return openRecord(k, sk, sealed)
}

func openRecord(k []byte, sk crypto.Key, sealed []byte) ([]byte, error) {
	pt, err := crypto.Open(sk, sealed, recordAD(k))
	if err != nil {
		return nil, &CorruptError{What: describeKey(k), Err: err}
	}
	return pt, nil
}

func (v *Vault) getJSON(txn *store.Txn, k []byte, sk crypto.Key, out any) error {
	b, err := v.get(txn, k, sk)
	if err != nil {
		return err
	}
	return decodeJSON(k, b, out)
}

// openJSON opens the sealed value of store key k and decodes it into out.
func openJSON(k []byte, sk crypto.Key, sealed []byte, out any) error {
	pt, err := openRecord(k, sk, sealed)
	if err != nil {
		return err
	}
	return decodeJSON(k, pt, out)
}

// itemJSON is openJSON for an iterator's item; it returns the item's key.
func itemJSON(item *store.Item, sk crypto.Key, out any) ([]byte, error) {
	k := item.KeyCopy(nil)
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return k, err
	}
	return k, openJSON(k, sk, sealed, out)
}

// decodeJSON decodes the opened record of store key k; a record that is
// not the JSON it should be is damage.
func decodeJSON(k, pt []byte, out any) error {
	if err := json.Unmarshal(pt, out); err != nil {
		return &CorruptError{What: describeKey(k), Err: err}
	}
	return nil
}

// describeKey names a store key for error messages without revealing
// anything beyond IDs.
func describeKey(k []byte) string {
	if len(k) == 0 {
		return "empty key"
	}
	var id CaseID
	if len(k) >= 1+idLen {
		copy(id[:], k[1:1+idLen])
	}
	kind := store.KindOf(k)
	if kind == nil {
		return "record"
	}
	if kind.PerCase {
		return kind.Name + " of case " + id.String()
	}
	return kind.Name
}

// sealKey returns the vault-wide key that seals records of kinds sealed
// with s; false for the keys of a case (and unsealed kinds).
func (v *Vault) sealKey(s store.Seal) (crypto.Key, bool) {
	switch s {
	case store.SealSys:
		return v.keys.sys, true
	case store.SealIndex:
		return v.keys.index, true
	}
	return crypto.Key{}, false
}

// caseKey unwraps the data key of a case.
func (v *Vault) caseKey(txn *store.Txn, id CaseID) (crypto.Key, error) {
	item, err := txn.Get(caseKeyKey(id))
	if errors.Is(err, store.ErrKeyNotFound) {
		return crypto.Key{}, &NotFoundError{Kind: NotFoundCase, ID: id.String()}
	}
	if err != nil {
		return crypto.Key{}, err
	}
	wrapped, err := item.ValueCopy(nil)
	if err != nil {
		return crypto.Key{}, err
	}
	k, err := crypto.UnwrapKey(v.keys.caseKEK, wrapped, recordAD(caseKeyKey(id)))
	if err != nil {
		return k, &CorruptError{What: describeKey(caseKeyKey(id)), Err: err}
	}
	return k, nil
}
