package vault

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// TestLatestRevisionByHeadAgrees: in a transaction with many pending
// writes, latestRevision finds the current revision without an iterator
// over the transaction (latestRevisionByHead); it must give what the
// iterator gives for cases with one or several revisions, and must not be
// trusted (ok false) for a revision that does not open in its place or
// that the transaction deleted.
func TestLatestRevisionByHeadAgrees(t *testing.T) {
	_, v := coreInit(t, true)
	var ids []CaseID
	for i := range 6 {
		id := coreAdd(t, v, strings.Replace(coreIvan, "Ivan Petrov", fmt.Sprintf("Ivan Petrov%c", 'a'+i), 1))
		for j := range i % 3 {
			for k := range 2 {
				doc := notedIvan(t, fmt.Sprintf("change %d %d", j, k))
				if _, err := v.UpdateCase(id, doc); err != nil {
					t.Fatal(err)
				}
			}
		}
		ids = append(ids, id)
	}
	byIterator := func(txn *store.Txn, id CaseID, dk crypto.Key) *Revision {
		t.Helper()
		it := txn.NewIterator(store.IteratorOptions{Prefix: revisionPrefix(id), Reverse: true})
		defer it.Close()
		it.Seek(append(revisionPrefix(id), 0xff, 0xff, 0xff, 0xff))
		if !it.Valid() {
			t.Fatalf("case %s: no revision", id)
		}
		r, err := v.decodeRevision(it.Item(), id, dk)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	errRollback := errors.New("rollback")
	err := v.db.Update(func(txn *store.Txn) error {
		padWrites(t, txn, headReadMin)
		for _, id := range ids {
			dk, err := v.caseKey(txn, id)
			if err != nil {
				return err
			}
			want := byIterator(txn, id, dk)
			got, ok := v.latestRevisionByHead(txn, id, dk)
			if !ok {
				t.Fatalf("case %s: not found by head", id)
			}
			if got.Rev != want.Rev || got.SHA256 != want.SHA256 {
				t.Fatalf("case %s: by head rev %d, iterator rev %d", id, got.Rev, want.Rev)
			}
			if r, err := v.latestRevision(txn, id, dk); err != nil || r.Rev != want.Rev {
				t.Fatalf("case %s: latestRevision rev %v err %v, want %d", id, r, err, want.Rev)
			}
		}
		// A revision this transaction wrote after the committed ones is
		// the current one.
		id := ids[1]
		dk := dk2(t, v, txn, id)
		cur := byIterator(txn, id, dk)
		item, err := txn.Get(revisionKey(id, cur.Rev))
		if err != nil {
			return err
		}
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := txn.Set(revisionKey(id, cur.Rev+1), sealed); err != nil {
			return err
		}
		if _, ok := v.latestRevisionByHead(txn, id, dk); ok {
			// the copy is sealed for its old place: it must not open
			t.Fatal("a revision sealed under another key was trusted")
		}
		// A revision deleted by this transaction: not trusted.
		id = ids[2]
		cur = byIterator(txn, id, dk2(t, v, txn, id))
		if err := txn.Delete(revisionKey(id, cur.Rev)); err != nil {
			return err
		}
		if _, ok := v.latestRevisionByHead(txn, id, dk2(t, v, txn, id)); ok {
			t.Fatal("a revision this transaction deleted was trusted")
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
}

func dk2(t *testing.T, v *Vault, txn *store.Txn, id CaseID) crypto.Key {
	t.Helper()
	dk, err := v.caseKey(txn, id)
	if err != nil {
		t.Fatal(err)
	}
	return dk
}

// TestLatestRevisionByHeadGapAndStaleSummary: a damaged store whose case
// lost a middle revision and whose summary names an older revision (an
// attack on an earlier version of latestRevisionByHead, which trusted the
// summary) must still give the highest revision to an import's
// transaction, and a change made in that transaction must follow it.
func TestLatestRevisionByHeadGapAndStaleSummary(t *testing.T) {
	v, id, old := gappedCase(t)
	if err := v.db.Update(func(txn *store.Txn) error { return txn.Set(summaryKey(id), old) }); err != nil {
		t.Fatal(err)
	}
	err := v.db.Update(func(txn *store.Txn) error {
		padWrites(t, txn, headReadMin)
		dk := dk2(t, v, txn, id)
		r, err := v.latestRevision(txn, id, dk)
		if err != nil {
			return err
		}
		if r.Rev != 4 {
			t.Fatalf("current revision %d in a transaction with many writes, want 4", r.Rev)
		}
		return errors.New("rollback")
	})
	if err == nil || err.Error() != "rollback" {
		t.Fatal(err)
	}
}

// TestLatestRevisionByHeadPendingUpdates: two updates of one case in one
// large transaction (an import batch meeting a case twice) must each
// build on the one before: the second finds the first's pending revision.
func TestLatestRevisionByHeadPendingUpdates(t *testing.T) {
	_, v := coreInit(t, true)
	id := coreAdd(t, v, coreIvan)
	errRollback := errors.New("rollback")
	err := v.commit(func(c *change) error {
		padWrites(t, c.txn, headReadMin)
		for i := range 2 {
			doc := notedIvan(t, fmt.Sprintf("pending %d", i))
			r, err := c.updateCase(id, doc, AddOptions{})
			if err != nil {
				return err
			}
			if r.Rev != uint32(2+i) {
				t.Fatalf("update %d wrote revision %d, want %d", i, r.Rev, 2+i)
			}
		}
		dk := dk2(t, v, c.txn, id)
		r, ok := v.latestRevisionByHead(c.txn, id, dk)
		if !ok || r.Rev != 3 {
			t.Fatalf("by head: %v ok=%v, want revision 3", r, ok)
		}
		doc, err := r.Case()
		if err != nil {
			return err
		}
		if doc.Doc["notes"] != "pending 1" {
			t.Fatalf("current notes %q, want the second update's", doc.Doc["notes"])
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
}

// TestLatestRevisionByHeadSnapshotMoved: when another transaction commits
// while a large one is open, the read-only view is newer than the large
// transaction's: latestRevision must still give what that transaction
// sees (an attack found a missing middle revision plus such a commit made
// an earlier version return revision 2 where the transaction had 4).
func TestLatestRevisionByHeadSnapshotMoved(t *testing.T) {
	v, id, _ := gappedCase(t)
	txn := v.db.NewTransaction(true)
	defer txn.Discard()
	padWrites(t, txn, headReadMin+6)
	if err := v.db.Update(func(other *store.Txn) error {
		if err := other.Delete(revisionKey(id, 2)); err != nil {
			return err
		}
		return other.Delete(revisionKey(id, 4))
	}); err != nil {
		t.Fatal(err)
	}
	dk := dk2(t, v, txn, id)
	r, err := v.latestRevision(txn, id, dk)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rev != 4 {
		t.Fatalf("current revision %d in the open transaction, want 4 (what it sees)", r.Rev)
	}
}

// padWrites makes n writes in txn under a prefix no record uses, so that
// latestRevision takes its path for large transactions.
func padWrites(t *testing.T, txn *store.Txn, n int) {
	t.Helper()
	for i := range n {
		if err := txn.Set([]byte{0x00, 'z', byte(i)}, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
}

// notedIvan is coreIvan sentenced, with notes: a document that differs
// from coreIvan and from other notes.
func notedIvan(t *testing.T, notes string) *schema.Case {
	t.Helper()
	return coreCase(t, strings.Replace(coreIvan, "status: pretrial", "status: sentenced\nnotes: "+notes, 1))
}

// gappedCase returns a vault holding a case with revisions 1, 2 and 4 (a
// store that lost revision 3), and the summary record of revision 2.
func gappedCase(t *testing.T) (*Vault, CaseID, []byte) {
	t.Helper()
	_, v := coreInit(t, true)
	id := coreAdd(t, v, coreIvan)
	var old []byte
	for i := range 3 {
		if _, err := v.UpdateCase(id, notedIvan(t, fmt.Sprintf("change %d", i))); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			old = coreRaw(t, v, summaryKey(id))
		}
	}
	if err := v.db.Update(func(txn *store.Txn) error { return txn.Delete(revisionKey(id, 3)) }); err != nil {
		t.Fatal(err)
	}
	return v, id, old
}
