package audit

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// testChain builds a signed chain of n entries in memory, as the vault
// appends them.
func testChain(t *testing.T, id *crypto.Identity, n int) ([]Entry, Head) {
	t.Helper()
	head := Head{Hash: ZeroHash}
	var out []Entry
	for i := range n {
		e := Entry{Seq: head.Seq + 1, Time: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC), Op: OpCaseAdd,
			Actor: "tester", Targets: []string{"c1"}, Prev: head.Hash}
		e.Sig = id.Sign(e.SignedMessage())
		out = append(out, e)
		head = Head{Seq: e.Seq, Hash: e.Hash()}
	}
	return out, head
}

func memChain(id *crypto.Identity, entries []Entry, head Head, headErr error) Chain {
	return Chain{
		Walk: func(fn func(Entry) error) error {
			for _, e := range entries {
				if err := fn(e); err != nil {
					return err
				}
			}
			return nil
		},
		Head:   func() (Head, error) { return head, headErr },
		KeyFor: func(uint64) ed25519.PublicKey { return id.VerifyKey() },
	}
}

func testIdentity(t *testing.T) *crypto.Identity {
	t.Helper()
	id, err := crypto.GenerateIdentity(true)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestVerifyChain: an intact chain verifies to its head; each kind of
// tampering is reported as a Break at the first entry it affects, in the
// category damaged.
func TestVerifyChain(t *testing.T) {
	id := testIdentity(t)
	entries, head := testChain(t, id, 40)
	n, got, err := Verify(context.Background(), memChain(id, entries, head, nil))
	if err != nil || n != 40 || got != head {
		t.Fatalf("intact chain: n=%d head=%+v err=%v, want 40 %+v", n, got, head, err)
	}

	other := testIdentity(t)
	for _, tc := range []struct {
		name   string
		edit   func([]Entry, Head) ([]Entry, Head, error)
		seq    uint64
		reason string
	}{
		{"altered", func(es []Entry, h Head) ([]Entry, Head, error) { es[9].Actor = "mallory"; return es, h, nil }, 10, "signature does not verify"},
		{"removed", func(es []Entry, h Head) ([]Entry, Head, error) { return append(es[:4:4], es[5:]...), h, nil }, 5, "expected entry 5, found entry 6"},
		{"forged with another key", func(es []Entry, h Head) ([]Entry, Head, error) {
			es[19].Sig = other.Sign(es[19].SignedMessage())
			return es, h, nil
		}, 20, "signature does not verify"},
		{"relinked", func(es []Entry, h Head) ([]Entry, Head, error) { es[29].Prev = ZeroHash; return es, h, nil }, 30, "link to entry 29"},
		{"truncated", func(es []Entry, h Head) ([]Entry, Head, error) { return es[:39], h, nil }, 40, "entries removed at the end"},
		{"appended", func(es []Entry, h Head) ([]Entry, Head, error) { return es, Head{Seq: 38, Hash: es[37].Hash()}, nil }, 39, "entries appended outside a change"},
		{"head altered", func(es []Entry, h Head) ([]Entry, Head, error) { h.Hash = ZeroHash; return es, h, nil }, 40, "head's hash does not match"},
		{"head unreadable", func(es []Entry, h Head) ([]Entry, Head, error) {
			return es, Head{}, &UnreadableError{Err: errors.New("bad seal")}
		}, 41, "head record does not open: bad seal"},
		{"empty", func(es []Entry, h Head) ([]Entry, Head, error) { return nil, h, nil }, 1, "no entries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, h := testChain(t, id, 40)
			es, h, herr := tc.edit(es, h)
			_, _, err := Verify(context.Background(), memChain(id, es, h, herr))
			var b *Break
			if !errors.As(err, &b) || b.Seq != tc.seq || !strings.Contains(b.Reason, tc.reason) {
				t.Fatalf("got %v, want a break at %d saying %q", err, tc.seq, tc.reason)
			}
			if !errors.Is(err, errs.ErrDamaged) {
				t.Errorf("%v is not in the category damaged", err)
			}
		})
	}

	// An entry that does not open stops the walk: a break at its place.
	c := memChain(id, entries, head, nil)
	c.Walk = func(fn func(Entry) error) error {
		for _, e := range entries[:7] {
			if err := fn(e); err != nil {
				return err
			}
		}
		return &UnreadableError{Err: errors.New("bad seal")}
	}
	var b *Break
	if _, _, err := Verify(context.Background(), c); !errors.As(err, &b) || b.Seq != 8 || b.Reason != "entry does not open: bad seal" {
		t.Fatalf("unreadable entry 8: got %v", err)
	}

	// A cancelled context stops verification with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Verify(ctx, memChain(id, entries, head, nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v", err)
	}
}

// TestWitnessRoundTrip: a witness file made by a holder parses, names its
// parties and checks against the subject's log; a rewritten log or a head
// past its end is a Break; a file about another log or made with the
// subject's own key is refused.
func TestWitnessRoundTrip(t *testing.T) {
	subject, holder := testIdentity(t), testIdentity(t)
	entries, head := testChain(t, subject, 12)
	heads := []WitnessedHead{
		{Seq: 10, Hash: entries[9].Hash(), BundleID: "b1", Received: time.Unix(1e9, 0)},
		{Seq: 3, Hash: entries[2].Hash()},
	}
	b, err := NewWitnessFile("Holder Org", holder, "Subject Org", subject.VerifyKey(), heads, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseWitnessFile(b)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := f.CheckKeys([]ed25519.PublicKey{subject.VerifyKey()})
	if err != nil || !checked {
		t.Fatalf("CheckKeys = %v, %v", checked, err)
	}
	entryAt := func(es []Entry) func(uint64) (Entry, error) {
		return func(seq uint64) (Entry, error) { return es[seq-1], nil }
	}
	var res WitnessCheck
	if err := CheckHeads(f.Heads, "witnessed by "+f.Holder, head, entryAt(entries), &res); err != nil || res.Heads != 2 || res.Newest != 10 {
		t.Fatalf("CheckHeads: %v, %+v", err, res)
	}

	// The subject rewrites entry 10 and re-signs everything after it.
	rewritten := append([]Entry(nil), entries...)
	rewritten[9].Actor = "someone else"
	rewritten[9].Sig = subject.Sign(rewritten[9].SignedMessage())
	var b2 *Break
	err = CheckHeads(f.Heads, "witnessed by "+f.Holder, head, entryAt(rewritten), &WitnessCheck{})
	if !errors.As(err, &b2) || b2.Seq != 10 || !strings.Contains(b2.Reason, "history rewritten since") || !strings.Contains(b2.Reason, "(bundle b1)") {
		t.Fatalf("rewritten log: got %v", err)
	}
	// Rolled back to 8 entries.
	err = CheckHeads(f.Heads, "recorded", Head{Seq: 8, Hash: entries[7].Hash()}, entryAt(entries), &WitnessCheck{})
	if !errors.As(err, &b2) || b2.Seq != 10 || !strings.Contains(b2.Reason, "log now ends at entry 8") {
		t.Fatalf("rolled back log: got %v", err)
	}

	stranger := testIdentity(t)
	if _, err := f.CheckKeys([]ed25519.PublicKey{stranger.VerifyKey()}); !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), "not this vault's") {
		t.Fatalf("another log: got %v", err)
	}
	if _, err := f.CheckKeys([]ed25519.PublicKey{stranger.VerifyKey(), subject.VerifyKey(), holder.VerifyKey()}); err == nil || !strings.Contains(err.Error(), "own key") {
		t.Fatalf("own key: got %v", err)
	}

	// One altered byte breaks the holder's signature.
	tampered := strings.Replace(string(b), `"Subject Org"`, `"Subject Orh"`, 1)
	if _, err := ParseWitnessFile([]byte(tampered)); err == nil || !strings.Contains(err.Error(), "signature does not verify") {
		t.Fatalf("tampered file: got %v", err)
	}
}
