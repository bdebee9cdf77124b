package vault

import (
	"context"
	"crypto/rand"
	"errors"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// A purge carried by sync. Purge is a rekey: afterwards this copy's sync
// keys no longer match the other copies' (which keep the old master key),
// and the rekey drops the case's tombstone. So the purge, while the old
// master key is still known, leaves for each remote that has not yet
// received the case's tombstone a record `N remote(8) rand(8)` (sealed
// under the new system key) holding the tombstone exactly as the old store
// would have sealed it and the old sync keys. The next sync to that remote
// — refused otherwise, as for any re-keyed remote — first sends that
// tombstone in a pack sealed under the old keys (uploaded, verified by
// hash), deletes the blobs the tombstone names, then deletes the record
// and with it the old keys. The other copies apply it as a removal with
// operation "purge". See SECURITY.md, "Purge and sync".

// purgeOut is a PPurgeOut record.
type purgeOut struct {
	Obj     []byte   `json:"obj"`  // old Kobj
	Blob    []byte   `json:"blob"` // old Kblob
	ID      []byte   `json:"id"`   // old sync vault ID
	TombKey []byte   `json:"tomb_key"`
	Tomb    []byte   `json:"tomb"` // sealed under the old system key, bound to TombKey
	Blobs   []string `json:"blobs,omitempty"`
}

func purgeOutPrefix(r *Remote) []byte { return key(store.PPurgeOut, r.ID) }

// purgeTombstone returns what a purge of case id leaves to send: the
// tombstone (head, known blobs) and the remotes that do not have one yet.
func (v *Vault) purgeTombstone(txn *store.Txn, id CaseID, head string) (*tombstone, []Remote, error) {
	t := &tombstone{Op: "purge", At: v.now(), Head: head}
	var old tombstone
	switch err := v.getJSON(txn, tombKey(id), v.keys.sys, &old); {
	case err == nil:
		t.Head, t.Blobs = old.Head, old.Blobs
	case !errors.Is(err, errNoRecord):
		return nil, nil, err
	}
	known, err := v.caseBlobObjects(txn, id)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, b := range append(t.Blobs, known...) {
		if !seen[b] && syncfmt.ValidName(b) {
			seen[b] = true
		}
	}
	t.Blobs = t.Blobs[:0]
	for b := range seen {
		t.Blobs = append(t.Blobs, b)
	}
	var remotes []Remote
	err = eachKey(txn, []byte{store.PRemote}, true, func(k []byte, item *store.Item) error {
		var r Remote
		if _, err := itemJSON(item, v.keys.sys, &r); err != nil {
			return err
		}
		if !r.Rekeyed.IsZero() {
			return nil // its copies no longer talk with this one anyway
		}
		var st syncCaseState
		if err := v.getJSON(txn, syncCaseKey(id, &r), v.keys.sys, &st); err != nil && !errors.Is(err, errNoRecord) {
			return err
		}
		if !st.Tomb {
			remotes = append(remotes, r)
		}
		return nil
	})
	return t, remotes, err
}

// writePurgeOut records, in the new store of a purge (c), the tombstone t
// of case id to send to each remote, sealed under v's (old) keys.
func (v *Vault) writePurgeOut(c *change, id CaseID, t *tombstone, remotes []Remote) error {
	if len(remotes) == 0 {
		return nil
	}
	b, err := marshalJSON(t)
	if err != nil {
		return err
	}
	tk := tombKey(id)
	sealed := crypto.Seal(v.keys.sys, b, recordAD(tk))
	obj, blob, sid := v.syncKeys().Export()
	for i := range remotes {
		var rnd [8]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return err
		}
		rec := purgeOut{Obj: obj[:], Blob: blob[:], ID: sid, TombKey: tk, Tomb: sealed, Blobs: t.Blobs}
		if err := c.putJSON(key(store.PPurgeOut, remotes[i].ID, rnd[:]), c.v.keys.sys, rec); err != nil {
			return err
		}
	}
	return nil
}

// sendPurges sends the purges waiting for remote r (see above). rep is
// nil when there were none.
func (v *Vault) sendPurges(ctx context.Context, r *Remote) (*SyncReport, error) {
	type out struct {
		k   []byte
		rec purgeOut
	}
	var todo []out
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, purgeOutPrefix(r), true, func(k []byte, item *store.Item) error {
			var p purgeOut
			if _, err := itemJSON(item, v.keys.sys, &p); err != nil {
				return err
			}
			todo = append(todo, out{append([]byte(nil), k...), p})
			return nil
		})
	})
	if err != nil || len(todo) == 0 {
		return nil, err
	}
	rep := &SyncReport{Remote: r.Name, Conflicts: []string{}, Refused: []string{}, Skipped: []string{}, Removed: []string{}, PurgesSent: []string{}}
	s, err := openObjStore(r)
	if err != nil {
		return rep, err
	}
	if err := s.ensureBucket(ctx); err != nil {
		return rep, err
	}
	for _, o := range todo {
		if len(o.rec.Obj) != len(crypto.Key{}) || len(o.rec.Blob) != len(crypto.Key{}) || len(o.rec.TombKey) != 1+idLen {
			return rep, &CorruptError{What: describeKey(o.k), Err: errors.New("malformed sync keys or tombstone key")}
		}
		var ok, bk crypto.Key
		copy(ok[:], o.rec.Obj)
		copy(bk[:], o.rec.Blob)
		keys := syncfmt.KeysFrom(ok, bk, o.rec.ID)
		es := []syncfmt.Entry{{Key: o.rec.TombKey, Value: o.rec.Tomb}}
		if err := s.clock.check(r.Name); err != nil {
			return rep, err
		}
		name := syncfmt.NewNameAt(s.clock.now())
		sealed := keys.Seal(name, syncfmt.KindPack, syncfmt.EncodePack(es))
		sum, err := s.put(ctx, "", name, sealed)
		if err != nil {
			return rep, err
		}
		if purgeSentHook != nil {
			if err := purgeSentHook(); err != nil {
				return rep, err
			}
		}
		for _, b := range o.rec.Blobs {
			if err := s.remove(ctx, "", b); err != nil {
				return rep, err
			}
		}
		var id CaseID
		copy(id[:], o.rec.TombKey[1:])
		err = v.commit(func(c *change) error {
			if err := c.putJSON(syncObjKey(r, name), v.keys.sys, packObject("up", name, sum, int64(len(sealed)), es, v.now())); err != nil {
				return err
			}
			for _, b := range o.rec.Blobs {
				var bo syncObject
				if err := v.getJSON(c.txn, syncObjKey(r, b), v.keys.sys, &bo); err == nil && bo.Kind == "blob" && !bo.Gone {
					bo.Gone = true
					if err := c.putJSON(syncObjKey(r, b), v.keys.sys, bo); err != nil {
						return err
					}
					c.audit(OpSyncDelete, []string{r.Name, b}, nil)
				} else if err != nil && !errors.Is(err, errNoRecord) {
					return err
				}
			}
			c.auditHash(OpSyncPush, []string{r.Name, name}, sum)
			return c.del(o.k)
		})
		crypto.Wipe(ok[:])
		crypto.Wipe(bk[:])
		if err != nil {
			return rep, err
		}
		rep.PacksUp++
		rep.CasesUp++
		rep.BytesUp += int64(len(sealed))
		rep.PurgesSent = append(rep.PurgesSent, id.String())
	}
	return rep, nil
}

// purgeSentHook, when not nil, is called after a purge's tombstone is
// uploaded and before it is recorded (tests: a kill there).
var purgeSentHook func() error
