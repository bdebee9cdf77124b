package vault

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// An AuditEntry is one link of the vault's hash chain. Its hash covers all
// fields including the signature; Prev is the hash of the entry before
// (64 zeros for the first). Sig is the organisation's Ed25519 signature of
// the entry without Sig (see [AuditEntry.SignedMessage]).
type AuditEntry struct {
	Seq           uint64    `json:"seq"`
	Time          time.Time `json:"time"`
	Op            Op        `json:"op"`
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

// auditSigLabel is the domain label in front of every signed entry.
const auditSigLabel = "casevault audit entry v1\n"

// JSON returns the entry's canonical JSON, signature included: the bytes
// whose SHA-256 is the entry's hash. It is Go's encoding/json of the
// struct, fields in declaration order, no spaces.
func (e AuditEntry) JSON() []byte {
	b, _ := json.Marshal(e)
	return b
}

// UnsignedJSON returns the entry's canonical JSON with "sig":null: what the
// signature covers after the label.
func (e AuditEntry) UnsignedJSON() []byte {
	e.Sig = nil
	return e.JSON()
}

// SignedMessage returns exactly what Sig signs: the label
// "casevault audit entry v1\n" followed by [AuditEntry.UnsignedJSON].
func (e AuditEntry) SignedMessage() []byte {
	return append([]byte(auditSigLabel), e.UnsignedJSON()...)
}

// signedBytes is what the signature covers.
func (e AuditEntry) signedBytes() []byte { return e.SignedMessage() }

// Hash returns the entry's hash: SHA-256 of its JSON, signature included.
func (e AuditEntry) Hash() string {
	h := sha256.Sum256(e.JSON())
	return hex.EncodeToString(h[:])
}

// HasTarget reports whether id is one of the entry's targets.
func (e AuditEntry) HasTarget(id string) bool { return slices.Contains(e.Targets, id) }

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

// An AuditFilter selects audit entries for [Vault.AuditLog]. Zero fields
// select everything.
type AuditFilter struct {
	// Targets keeps entries naming at least one of these IDs.
	Targets []string
	// Since keeps entries at or after this time.
	Since time.Time
}

// Match reports whether e passes the filter.
func (f AuditFilter) Match(e AuditEntry) bool {
	if !f.Since.IsZero() && e.Time.Before(f.Since) {
		return false
	}
	if len(f.Targets) == 0 {
		return true
	}
	for _, t := range f.Targets {
		if e.HasTarget(t) {
			return true
		}
	}
	return false
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
func (v *Vault) AuditLog(f AuditFilter, fn func(AuditEntry) error) error {
	return v.AuditEntries(func(e AuditEntry) error {
		if !f.Match(e) {
			return nil
		}
		return fn(e)
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
// verified. Sequence numbers and links are checked in order as the entries
// are read; signatures, which cost most, are checked by one worker per CPU,
// and the lowest failing entry wins, so the first break is reported as if
// everything had been checked in order.
func (v *Vault) verifyAuditTxn(txn *store.Txn) (int, AuditHead, error) {
	return v.verifyAuditCtx(context.Background(), txn)
}

// verifyAuditCtx is verifyAuditTxn that stops when ctx is done.
func (v *Vault) verifyAuditCtx(ctx context.Context, txn *store.Txn) (int, AuditHead, error) {
	prev := zeroHash
	var want uint64 = 1
	n := 0

	type sigJob struct {
		seq      uint64
		msg, sig []byte
		pub      ed25519.PublicKey // the key of the entry's period (see RotateIdentity)
	}
	jobs := make(chan sigJob, 256)
	var badSig atomic.Uint64 // lowest entry whose signature failed; 0: none
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if crypto.Verify(j.pub, j.msg, j.sig) {
					continue
				}
				for {
					cur := badSig.Load()
					if (cur != 0 && cur <= j.seq) || badSig.CompareAndSwap(cur, j.seq) {
						break
					}
				}
			}
		}()
	}
	errSigFailed := errors.New("signature failed")
	err := v.auditWalk(txn, func(e AuditEntry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if badSig.Load() != 0 {
			// Every entry before the failing one is already queued.
			return errSigFailed
		}
		switch {
		case e.Seq != want:
			return &AuditBreak{Seq: want, Reason: fmt.Sprintf("expected entry %d, found entry %d in its place (entry removed, reordered or inserted)", want, e.Seq)}
		case e.Prev != prev:
			return &AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("its link to entry %d does not match (entry %d altered, or an entry removed or inserted before %d)", want-1, want-1, e.Seq)}
		}
		jobs <- sigJob{seq: e.Seq, msg: e.signedBytes(), sig: e.Sig, pub: v.verifyKeyForSeq(e.Seq)}
		prev = e.Hash()
		want++
		n++
		return nil
	})
	close(jobs)
	wg.Wait()
	if s := badSig.Load(); s != 0 {
		var brk *AuditBreak
		if !errors.As(err, &brk) || s < brk.Seq {
			return int(s - 1), AuditHead{}, &AuditBreak{Seq: s, Reason: "signature does not verify with the organisation's key (entry altered or forged)"}
		}
	}
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return n, AuditHead{}, &AuditBreak{Seq: want, Reason: "entry does not open: " + ce.Err.Error()}
		}
		return n, AuditHead{}, err
	}
	last := AuditHead{Seq: want - 1, Hash: prev}
	if last.Seq == 0 {
		// Init writes the first entry (vault.init) in the same transaction
		// as the vault meta: a vault without entries lost its log.
		return n, last, &AuditBreak{Seq: 1, Reason: "the log has no entries (every vault starts with its vault.init entry: log removed)"}
	}
	head, err := v.auditHead(txn)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return n, last, &AuditBreak{Seq: want, Reason: "head record does not open: " + ce.Err.Error()}
		}
		return n, last, err
	}
	switch {
	case head.Seq > last.Seq:
		return n, last, &AuditBreak{Seq: want, Reason: fmt.Sprintf("the head says the log ends at entry %d but entry %d is missing (entries removed at the end)", head.Seq, want)}
	case head.Seq < last.Seq:
		return n, last, &AuditBreak{Seq: head.Seq + 1, Reason: fmt.Sprintf("the head says the log ends at entry %d but entries follow it up to %d (entries appended outside a change)", head.Seq, last.Seq)}
	case head.Hash != last.Hash:
		return n, last, &AuditBreak{Seq: last.Seq, Reason: "the head's hash does not match the last entry (last entry or head altered)"}
	}
	return n, last, nil
}
