package vault

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// TestLatestRevisionByHeadAgrees: in a transaction with many pending
// writes, latestRevision reads the current revision by key through the
// case's summary (latestRevisionByHead); it must give what the iterator
// gives for cases with one or several revisions, for a case changed in the
// same transaction, and must not be trusted (ok false) when a newer
// revision is pending without its summary or the summary names a
// revision that is gone.
func TestLatestRevisionByHeadAgrees(t *testing.T) {
	_, v := coreInit(t, true)
	var ids []CaseID
	for i := range 6 {
		id := coreAdd(t, v, strings.Replace(coreIvan, "Ivan Petrov", fmt.Sprintf("Ivan Petrov%c", 'a'+i), 1))
		for j := range i % 3 {
			for k := range 2 {
				doc := coreCase(t, strings.Replace(coreIvan, "status: pretrial", fmt.Sprintf("status: sentenced\nnotes: change %d %d", j, k), 1))
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
		for i := range headReadMin {
			// pending writes under a prefix no record uses
			if err := txn.Set([]byte{0x00, 'z', byte(i)}, []byte("x")); err != nil {
				return err
			}
		}
		for _, id := range ids {
			dk, err := v.caseKey(txn, id)
			if err != nil {
				return err
			}
			want := byIterator(txn, id, dk)
			got, ok, err := v.latestRevisionByHead(txn, id, dk)
			if err != nil || !ok {
				t.Fatalf("case %s: by head ok=%v err=%v", id, ok, err)
			}
			if got.Rev != want.Rev || got.SHA256 != want.SHA256 {
				t.Fatalf("case %s: by head rev %d, iterator rev %d", id, got.Rev, want.Rev)
			}
			if r, err := v.latestRevision(txn, id, dk); err != nil || r.Rev != want.Rev {
				t.Fatalf("case %s: latestRevision rev %v err %v, want %d", id, r, err, want.Rev)
			}
		}
		// A newer revision pending without its summary: not trusted.
		id := ids[1]
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
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
		if _, ok, _ := v.latestRevisionByHead(txn, id, dk); ok {
			t.Fatal("a pending revision past the summary's was not seen")
		}
		// The summary names a revision that is gone: not trusted.
		id = ids[2]
		cur = byIterator(txn, id, dk2(t, v, txn, id))
		if err := txn.Delete(revisionKey(id, cur.Rev)); err != nil {
			return err
		}
		if _, ok, _ := v.latestRevisionByHead(txn, id, dk2(t, v, txn, id)); ok {
			t.Fatal("a summary naming a deleted revision was trusted")
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
