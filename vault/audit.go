package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/casevault/casevault/crypto"
	badger "github.com/dgraph-io/badger/v4"
)

// An AuditEntry is one link of the vault's hash chain. Its hash covers all
// fields including the signature; Prev is the hash of the entry before
// (64 zeros for the first). Sig is the organisation's Ed25519 signature of
// the entry without Sig (see signedBytes).
type AuditEntry struct {
	Seq           uint64    `json:"seq"`
	Time          time.Time `json:"time"`
	Op            string    `json:"op"`
	Actor         string    `json:"actor"`
	Targets       []string  `json:"targets,omitempty"`
	ContentSHA256 string    `json:"content_sha256,omitempty"`
	Prev          string    `json:"prev"`
	Sig           []byte    `json:"sig"`
}

// AuditHead is the newest entry's sequence number and hash.
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

const zeroHash = "0000000000000000000000000000000000000000000000000000000000000000"

// signedBytes is what the signature covers: a domain label and the entry's
// JSON with Sig empty.
func (e AuditEntry) signedBytes() []byte {
	e.Sig = nil
	b, _ := json.Marshal(e)
	return append([]byte("casevault audit entry v1\n"), b...)
}

// Hash returns the entry's hash: SHA-256 of its JSON, signature included.
func (e AuditEntry) Hash() string {
	b, _ := json.Marshal(e)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (v *Vault) auditHead(txn *badger.Txn) (AuditHead, error) {
	var h AuditHead
	err := v.getJSON(txn, auditHeadKey(), v.keys.sys, &h)
	if errors.Is(err, errNoRecord) {
		return AuditHead{Seq: 0, Hash: zeroHash}, nil
	}
	return h, err
}

// appendAudit adds entries to the chain inside txn.
func (v *Vault) appendAudit(txn *badger.Txn, pending []pendingAudit) error {
	if len(pending) == 0 {
		return nil
	}
	head, err := v.auditHead(txn)
	if err != nil {
		return err
	}
	c := &change{v: v, txn: txn}
	for _, p := range pending {
		e := AuditEntry{Seq: head.Seq + 1, Time: v.now(), Op: p.op, Actor: v.author(), Targets: p.targets, Prev: head.Hash}
		switch {
		case p.hash != nil:
			e.ContentSHA256 = hex.EncodeToString(p.hash)
		case p.content != nil:
			h := sha256.Sum256(p.content)
			e.ContentSHA256 = hex.EncodeToString(h[:])
		}
		e.Sig = v.id.Sign(e.signedBytes())
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
	err := v.view(func(txn *badger.Txn) error {
		var err error
		h, err = v.auditHead(txn)
		return err
	})
	return h, err
}

// AuditEntries calls fn for every audit entry in order. A record that fails
// to open stops the walk with a *CorruptError.
func (v *Vault) AuditEntries(fn func(AuditEntry) error) error {
	return v.view(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{pAudit}, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			sealed, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			pt, err := openRecord(k, v.keys.sys, sealed)
			if err != nil {
				return err
			}
			var e AuditEntry
			if err := json.Unmarshal(pt, &e); err != nil {
				return &CorruptError{What: describeKey(k), Err: err}
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// AuditBreak describes the first broken link found by VerifyAudit.
type AuditBreak struct {
	Seq    uint64
	Reason string
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// VerifyAudit walks the chain and checks sequence numbers, hash links,
// signatures and the head. It returns the number of entries checked and an
// *AuditBreak for the first broken link.
func (v *Vault) VerifyAudit() (int, error) {
	pub := v.id.VerifyKey()
	prev := zeroHash
	var want uint64 = 1
	n := 0
	err := v.AuditEntries(func(e AuditEntry) error {
		switch {
		case e.Seq != want:
			return &AuditBreak{Seq: want, Reason: fmt.Sprintf("expected entry %d, found %d (entry removed, reordered or inserted)", want, e.Seq)}
		case e.Prev != prev:
			return &AuditBreak{Seq: e.Seq, Reason: "link to the previous entry does not match (entry altered, removed or inserted before it)"}
		case !crypto.Verify(pub, e.signedBytes(), e.Sig):
			return &AuditBreak{Seq: e.Seq, Reason: "signature does not verify (entry altered)"}
		}
		prev = e.Hash()
		want++
		n++
		return nil
	})
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return n, &AuditBreak{Seq: want, Reason: "entry does not open: " + ce.Err.Error()}
		}
		return n, err
	}
	head, err := v.AuditHead()
	if err != nil {
		return n, err
	}
	if head.Seq != want-1 || !bytes.Equal([]byte(head.Hash), []byte(prev)) {
		return n, &AuditBreak{Seq: want, Reason: fmt.Sprintf("head says entry %d but the chain ends at %d (entries removed at the end)", head.Seq, want-1)}
	}
	return n, nil
}
