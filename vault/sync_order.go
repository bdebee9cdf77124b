package vault

import (
	"encoding/binary"
	"errors"

	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// packMissesParents reports whether a pulled pack holds records whose
// predecessors this copy does not have yet: a revision whose number is
// more than one past this copy's head of its case, or records of a case
// not here (and not removed here) without the case's key. Such a pack
// was written before another one that sorts after it (a clock stepped
// back) and waits for it. absent is whether a case it names is not here at
// all (then nothing of that case can be applied or kept).
func (v *Vault) packMissesParents(es []syncfmt.Entry) (missing, absent bool, err error) {
	type info struct {
		key  bool
		tomb bool
		minN uint32
	}
	cases := map[CaseID]*info{}
	var order []CaseID
	for _, e := range es {
		if len(e.Key) < 1+idLen {
			continue
		}
		var id CaseID
		copy(id[:], e.Key[1:1+idLen])
		in := cases[id]
		if in == nil {
			in = &info{}
			cases[id] = in
			order = append(order, id)
		}
		switch {
		case e.Key[0] == pCaseKey:
			in.key = true
		case e.Key[0] == store.PTomb:
			in.tomb = true
		case e.Key[0] == pRevision && len(e.Key) == 1+idLen+4:
			if n := binary.BigEndian.Uint32(e.Key[1+idLen:]); in.minN == 0 || n < in.minN {
				in.minN = n
			}
		}
	}
	err = v.view(func(txn *store.Txn) error {
		for _, id := range order {
			in := cases[id]
			if in.tomb {
				continue
			}
			_, err := txn.Get(caseKeyKey(id))
			switch {
			case errors.Is(err, store.ErrKeyNotFound):
				if _, err := txn.Get(tombKey(id)); err == nil {
					continue // removed here: skipped as before
				} else if !errors.Is(err, store.ErrKeyNotFound) {
					return err
				}
				if !in.key || in.minN > 1 {
					missing, absent = true, true
				}
			case err != nil:
				return err
			default:
				head, err := revisionCount(txn, id)
				if err != nil {
					return err
				}
				if in.minN > head+1 {
					missing = true
				}
			}
		}
		return nil
	})
	return missing, absent, err
}

// pulledBefore reports whether the journal records object name as applied.
func (v *Vault) pulledBefore(r *Remote, name string) (bool, error) {
	var ok bool
	err := v.view(func(txn *store.Txn) error {
		var o syncObject
		err := v.getJSON(txn, syncObjKey(r, name), v.keys.sys, &o)
		if err == nil {
			ok = isSyncKind(o)
			return nil
		}
		if errors.Is(err, errNoRecord) {
			return nil
		}
		return err
	})
	return ok, err
}
