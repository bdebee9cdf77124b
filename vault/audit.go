package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/audit"
	"github.com/casevault/casevault/vault/internal/store"
)

func (v *Vault) auditHead(txn *store.Txn) (AuditHead, error) {
	var h AuditHead
	err := v.getJSON(txn, auditHeadKey(), v.keys.sys, &h)
	if errors.Is(err, errNoRecord) {
		return AuditHead{Seq: 0, Hash: zeroHash}, nil
	}
	return h, err
}

// appendAudit adds entries to the chain inside txn.
func (v *Vault) appendAudit(txn *store.Txn, pending []pendingAudit) error {
	if len(pending) == 0 {
		return nil
	}
	head, err := v.auditHead(txn)
	if err != nil {
		return err
	}
	c := &change{v: v, txn: txn}
	signer, staffName, staffKey := v.signer()
	for _, p := range pending {
		e := AuditEntry{Seq: head.Seq + 1, Time: v.now(), Op: p.op, Actor: v.author(), Targets: p.targets, Prev: head.Hash,
			Staff: staffName, StaffKey: staffKey}
		switch {
		case p.hash != nil:
			e.ContentSHA256 = hex.EncodeToString(p.hash)
		case p.content != nil:
			h := sha256.Sum256(p.content)
			e.ContentSHA256 = hex.EncodeToString(h[:])
		}
		e.Sig = signer.Sign(e.SignedMessage())
		if err := c.putJSON(auditKey(e.Seq), v.keys.sys, e); err != nil {
			return err
		}
		head = AuditHead{Seq: e.Seq, Hash: e.Hash()}
	}
	return c.putJSON(auditHeadKey(), v.keys.sys, head)
}

// AuditHead returns the current head of the audit chain.
func (v *Vault) AuditHead() (AuditHead, error) {
	var h AuditHead
	err := v.view(func(txn *store.Txn) error {
		var err error
		h, err = v.auditHead(txn)
		return err
	})
	return h, err
}

// AuditEntries calls fn for every audit entry in order. A record that fails
// to open stops the walk with a *CorruptError.
func (v *Vault) AuditEntries(fn func(AuditEntry) error) error {
	return v.view(func(txn *store.Txn) error { return v.auditWalk(txn, fn) })
}

func (v *Vault) auditWalk(txn *store.Txn, fn func(AuditEntry) error) error {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pAudit}, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		sealed, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		e, err := decodeAuditEntry(k, v.keys.sys, sealed)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func decodeAuditEntry(k []byte, sk crypto.Key, sealed []byte) (AuditEntry, error) {
	var e AuditEntry
	err := openJSON(k, sk, sealed, &e)
	return e, err
}

// auditEntryAt reads the entry stored at seq; errNoRecord if there is none.
func (v *Vault) auditEntryAt(txn *store.Txn, seq uint64) (AuditEntry, error) {
	item, err := txn.Get(auditKey(seq))
	if errors.Is(err, store.ErrKeyNotFound) {
		return AuditEntry{}, errNoRecord
	}
	if err != nil {
		return AuditEntry{}, err
	}
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return AuditEntry{}, err
	}
	return decodeAuditEntry(auditKey(seq), v.keys.sys, sealed)
}

// CaseAuditTargets returns the IDs whose audit entries concern case id: the
// case itself and every evidence item it holds now. (Entries of evidence
// removed since name the case too.)
func (v *Vault) CaseAuditTargets(id CaseID) ([]string, error) {
	out := []string{id.String()}
	err := v.view(func(txn *store.Txn) error {
		pfx := evidencePrefix(id)
		it := txn.NewIterator(store.IteratorOptions{Prefix: pfx})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(k) != len(pfx)+idLen {
				continue
			}
			var e EvidenceID
			copy(e[:], k[len(pfx):])
			out = append(out, e.String())
		}
		return nil
	})
	return out, err
}

// AuditLog calls fn for every entry that passes f, in order.
// Entries signed by a staff member's key carry SignedBy, the name the
// organisation bound to that key.
func (v *Vault) AuditLog(f AuditFilter, fn func(AuditEntry) error) error {
	return v.auditEntriesBound(func(e AuditEntry) error {
		if !f.Match(e) {
			return nil
		}
		return fn(e)
	})
}

// VerifyAudit walks the chain and checks sequence numbers, hash links,
// signatures and the head. It returns the number of entries checked and an
// *AuditBreak for the first broken link.
func (v *Vault) VerifyAudit(ctx context.Context) (int, error) {
	var n int
	err := v.view(func(txn *store.Txn) error {
		var err error
		n, _, err = v.verifyAuditCtx(ctx, txn)
		return err
	})
	return n, err
}

// verifyAuditTxn is VerifyAudit inside txn; it also returns the head it
// verified (see audit.Verify).
func (v *Vault) verifyAuditTxn(txn *store.Txn) (int, AuditHead, error) {
	return v.verifyAuditCtx(context.Background(), txn)
}

// verifyAuditCtx is verifyAuditTxn that stops when ctx is done: it hands
// the chain stored in txn to audit.Verify.
func (v *Vault) verifyAuditCtx(ctx context.Context, txn *store.Txn) (int, AuditHead, error) {
	unreadable := func(err error) error {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return &audit.UnreadableError{Err: ce.Err}
		}
		return err
	}
	return audit.Verify(ctx, audit.Chain{
		Walk: func(fn func(AuditEntry) error) error { return unreadable(v.auditWalk(txn, fn)) },
		Head: func() (AuditHead, error) {
			h, err := v.auditHead(txn)
			return h, unreadable(err)
		},
		KeyFor:    v.verifyKeyForSeq,
		StaffName: func(id, sha string) (string, error) { return v.staffBoundName(txn, id, sha) },
	})
}
