package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// Break describes the first broken link found by chain verification.
type Break struct {
	Seq    uint64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// Is puts a Break among damaged data.
func (b *Break) Is(target error) bool { return target == errs.ErrDamaged }

// An UnreadableError is what a [Chain]'s Walk or Head returns for a stored
// entry or head that does not open: [Verify] reports it as a [Break].
type UnreadableError struct{ Err error }

func (e *UnreadableError) Error() string { return "record does not open: " + e.Err.Error() }
func (e *UnreadableError) Unwrap() error { return e.Err }

// A Chain is a stored audit log as Verify reads it.
type Chain struct {
	// Walk calls fn for every stored entry in key order and stops at the
	// first error, its own (an *UnreadableError for an entry that does
	// not open) or fn's.
	Walk func(fn func(Entry) error) error
	// Head returns the stored head (an *UnreadableError if it does not
	// open).
	Head func() (Head, error)
	// KeyFor returns the verify key that signed entry seq (the key of its
	// period: an organisation's key may have been rotated).
	KeyFor func(seq uint64) ed25519.PublicKey
	// StaffName, when set, returns the name the organisation bound to
	// staff member id by its staff.add entry (whose content hash is
	// addSHA256); an entry signed by the member must name them.
	StaffName func(id, addSHA256 string) (string, error)
}

// Verify walks the chain and checks sequence numbers, hash links,
// signatures and the head. It returns the number of entries checked, the
// head it verified and a *Break for the first broken link. Sequence
// numbers and links are checked in order as the entries are read;
// signatures, which cost most, are checked by one worker per CPU, and the
// lowest failing entry wins, so the first break is reported as if
// everything had been checked in order. It stops when ctx is done.
func Verify(ctx context.Context, c Chain) (int, Head, error) {
	prev := ZeroHash
	var want uint64 = 1
	n := 0

	type sigJob struct {
		seq      uint64
		msg, sig []byte
		pub      ed25519.PublicKey
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
	// staff are the IDs of the active staff members, from the staff.add
	// and staff.rm entries signed by the organisation key (the chain, not
	// the store's records, says who may sign).
	staff := map[string]bool{}
	added := map[string]string{} // staff ID -> content hash of its last staff.add
	err := c.Walk(func(e Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if badSig.Load() != 0 {
			// Every entry before the failing one is already queued.
			return errSigFailed
		}
		switch {
		case e.Seq != want:
			return &Break{Seq: want, Reason: fmt.Sprintf("expected entry %d, found entry %d in its place (entry removed, reordered or inserted)", want, e.Seq)}
		case e.Prev != prev:
			return &Break{Seq: e.Seq, Reason: fmt.Sprintf("its link to entry %d does not match (entry %d altered, or an entry removed or inserted before %d)", want-1, want-1, e.Seq)}
		}
		pub := c.KeyFor(e.Seq)
		if len(e.StaffKey) > 0 {
			if e.Op == OpStaffAdd || e.Op == OpStaffRm {
				return &Break{Seq: e.Seq, Reason: fmt.Sprintf("%s is signed by a staff member's key, not the organisation's (only the owner changes the staff)", e.Op)}
			}
			if len(e.StaffKey) != ed25519.PublicKeySize || !staff[StaffIDOf(e.StaffKey)] {
				return &Break{Seq: e.Seq, Reason: fmt.Sprintf("signed by the key of %q, who is not a staff member at this point of the log (never added, or removed before)", e.Staff)}
			}
			if c.StaffName != nil {
				id := StaffIDOf(e.StaffKey)
				name, err := c.StaffName(id, added[id])
				if err != nil {
					return &Break{Seq: e.Seq, Reason: fmt.Sprintf("signed by the key of staff member %s, whose binding to a name does not hold: %v", id, err)}
				}
				if e.Staff != name {
					return &Break{Seq: e.Seq, Reason: fmt.Sprintf("names staff member %q but is signed by the key the organisation bound to %q (an entry made under another member's name)", e.Staff, name)}
				}
			}
			pub = ed25519.PublicKey(e.StaffKey)
		} else if len(e.Targets) > 0 {
			switch e.Op {
			case OpStaffAdd:
				staff[e.Targets[0]] = true
				added[e.Targets[0]] = e.ContentSHA256
			case OpStaffRm:
				delete(staff, e.Targets[0])
			}
		}
		jobs <- sigJob{seq: e.Seq, msg: e.SignedMessage(), sig: e.Sig, pub: pub}
		prev = e.Hash()
		want++
		n++
		return nil
	})
	close(jobs)
	wg.Wait()
	if s := badSig.Load(); s != 0 {
		var brk *Break
		if !errors.As(err, &brk) || s < brk.Seq {
			return int(s - 1), Head{}, &Break{Seq: s, Reason: "signature does not verify with the organisation's key or the staff member's key it names (entry altered or forged)"}
		}
	}
	if err != nil {
		var ue *UnreadableError
		if errors.As(err, &ue) {
			return n, Head{}, &Break{Seq: want, Reason: "entry does not open: " + ue.Err.Error()}
		}
		return n, Head{}, err
	}
	last := Head{Seq: want - 1, Hash: prev}
	if last.Seq == 0 {
		// Init writes the first entry (vault.init) in the same transaction
		// as the vault meta: a vault without entries lost its log.
		return n, last, &Break{Seq: 1, Reason: "the log has no entries (every vault starts with its vault.init entry: log removed)"}
	}
	head, err := c.Head()
	if err != nil {
		var ue *UnreadableError
		if errors.As(err, &ue) {
			return n, last, &Break{Seq: want, Reason: "head record does not open: " + ue.Err.Error()}
		}
		return n, last, err
	}
	switch {
	case head.Seq > last.Seq:
		return n, last, &Break{Seq: want, Reason: fmt.Sprintf("the head says the log ends at entry %d but entry %d is missing (entries removed at the end)", head.Seq, want)}
	case head.Seq < last.Seq:
		return n, last, &Break{Seq: head.Seq + 1, Reason: fmt.Sprintf("the head says the log ends at entry %d but entries follow it up to %d (entries appended outside a change)", head.Seq, last.Seq)}
	case head.Hash != last.Hash:
		return n, last, &Break{Seq: last.Seq, Reason: "the head's hash does not match the last entry (last entry or head altered)"}
	}
	return n, last, nil
}

// StaffIDOf returns the staff ID of an Ed25519 key: 32 hex digits of
// SHA-256 over a label and the key (the same as keys.StaffID).
func StaffIDOf(vk []byte) string {
	sum := sha256.Sum256(append([]byte("casevault staff id v1\x00"), vk...))
	return hex.EncodeToString(sum[:16])
}
