package vault

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// Tombstones: 'case rm' and purge leave a sealed tombstone (T case) that
// sync carries to the other copies, which remove the case too; a case with
// a tombstone is never brought back by a pull, whichever pack comes later.
// See SECURITY.md, "Sync through object storage".

// writeTombstone records that case id is removed, with the blob objects
// of its evidence known on any remote (deleted from the store by sync).
func (c *change) writeTombstone(id CaseID, op Op, head string, extra []string) error {
	t := tombstone{Op: "rm", At: c.v.now(), Head: head}
	if op == OpCasePurge {
		t.Op = "purge"
	}
	blobs := map[string]bool{}
	for _, b := range extra {
		blobs[b] = true
	}
	known, err := c.v.caseBlobObjects(c.txn, id)
	if err != nil {
		return err
	}
	for _, b := range known {
		blobs[b] = true
	}
	for b := range blobs {
		if syncfmt.ValidName(b) {
			t.Blobs = append(t.Blobs, b)
		}
	}
	sort.Strings(t.Blobs)
	return c.putJSON(tombKey(id), c.v.keys.sys, t)
}

// caseBlobObjects returns the blob objects of a case's evidence known on
// any remote.
func (v *Vault) caseBlobObjects(txn *store.Txn, id CaseID) ([]string, error) {
	var out []string
	if err := eachKey(txn, key(store.PSyncCase, id[:]), true, func(k []byte, item *store.Item) error {
		var st syncCaseState
		if _, err := itemJSON(item, v.keys.sys, &st); err != nil {
			return err
		}
		for _, b := range st.Evidence {
			out = append(out, b)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	err := eachKey(txn, evidencePrefix(id), false, func(k []byte, _ *store.Item) error {
		var e EvidenceID
		copy(e[:], k[1+idLen:])
		var stub offloadStub
		if err := v.getJSON(txn, offloadKey(e), v.keys.sys, &stub); err == nil {
			out = append(out, stub.Object)
		} else if !errors.Is(err, errNoRecord) {
			return err
		}
		return nil
	})
	return out, err
}

// applyTomb applies what a pack says of a case that has, or brings, a
// tombstone: done is true when nothing else of the case is to be applied.
func (c *change) applyTomb(r *Remote, pc *pulledCase, rep *SyncReport) (done bool, err error) {
	v := c.v
	id := pc.id
	var local tombstone
	switch err := v.getJSON(c.txn, tombKey(id), v.keys.sys, &local); {
	case err == nil:
		// Removed here: nothing of the case is applied again.
		if pc.key != nil || len(pc.revs) > 0 || len(pc.evidence) > 0 {
			rep.Skipped = append(rep.Skipped, id.String())
		}
		if pc.tomb != nil {
			return true, c.markTombSent(r, id)
		}
		return true, nil
	case !errors.Is(err, errNoRecord):
		return false, err
	}
	if pc.tomb == nil {
		return false, nil
	}
	var t tombstone
	if err := openJSON(tombKey(id), v.keys.sys, pc.tomb, &t); err != nil {
		return false, err
	}
	if t.Op != "rm" && t.Op != "purge" {
		return false, &CorruptError{What: "tombstone of case " + id.String(), Err: errors.New("unknown operation " + t.Op)}
	}
	if _, err := c.txn.Get(caseKeyKey(id)); err == nil {
		op := OpCaseRm
		if t.Op == "purge" {
			op = OpCasePurge
		}
		lost, err := c.unseenByRemoval(id, &t)
		if err != nil {
			return false, err
		}
		held, lost, err := c.holdBack(id, &t, lost)
		if err != nil {
			return false, err
		}
		if err := c.removeCase(id, op); err != nil {
			return false, err
		}
		rep.Removed = append(rep.Removed, id.String())
		for _, l := range held {
			rep.Held = append(rep.Held, id.String()+" "+l)
		}
		for _, l := range lost {
			c.audit(OpSyncDiscard, []string{id.String(), l}, nil)
			rep.Discarded = append(rep.Discarded, id.String()+" "+l)
		}
		// Our own tombstone, with the blobs this copy knew, and the other's.
		var mine tombstone
		if err := v.getJSON(c.txn, tombKey(id), v.keys.sys, &mine); err != nil {
			return false, err
		}
		if err := c.writeTombstone(id, op, mine.Head, append(mine.Blobs, t.Blobs...)); err != nil {
			return false, err
		}
	} else if errors.Is(err, store.ErrKeyNotFound) {
		if err := c.txn.Set(tombKey(id), pc.tomb); err != nil {
			return false, err
		}
	} else {
		return false, err
	}
	return true, c.markTombSent(r, id)
}

// markTombSent records that the remote has the case's tombstone.
func (c *change) markTombSent(r *Remote, id CaseID) error {
	var st syncCaseState
	if err := c.v.getJSON(c.txn, syncCaseKey(id, r), c.v.keys.sys, &st); err != nil && !errors.Is(err, errNoRecord) {
		return err
	}
	st.Tomb = true
	return c.putJSON(syncCaseKey(id, r), c.v.keys.sys, st)
}

// collectRemoved deletes from the store what holds only removed cases:
// the blobs of their evidence and the packs all of whose cases have
// tombstones here (a pack carrying a tombstone is kept: copies yet to
// sync learn of the removal from it). Each deleted pack stays in the
// journal, marked gone. Failures are left for the next sync.
func (v *Vault) collectRemoved(ctx context.Context, r *Remote, s *objStore, rep *SyncReport) error {
	type gone struct {
		name string
		obj  syncObject
	}
	var packs []gone
	var blobs []string
	err := v.view(func(txn *store.Txn) error {
		tombs := map[string]bool{}
		if err := eachKey(txn, []byte{store.PTomb}, true, func(k []byte, item *store.Item) error {
			var id CaseID
			copy(id[:], k[1:])
			tombs[id.String()] = true
			var t tombstone
			if _, err := itemJSON(item, v.keys.sys, &t); err != nil {
				return err
			}
			blobs = append(blobs, t.Blobs...)
			return nil
		}); err != nil || len(tombs) == 0 {
			return err
		}
		return eachKey(txn, key(store.PSyncObj, r.ID), true, func(k []byte, item *store.Item) error {
			var o syncObject
			if _, err := itemJSON(item, v.keys.sys, &o); err != nil {
				return err
			}
			if o.Kind == "blob" && !o.Gone {
				return nil
			}
			if o.Kind != "pack" || o.Gone || o.Tombs || len(o.Cases) == 0 {
				return nil
			}
			for _, c := range o.Cases {
				if !tombs[c] {
					return nil
				}
			}
			packs = append(packs, gone{name: hex.EncodeToString(k[1+len(r.ID):]), obj: o})
			return nil
		})
	})
	if err != nil || (len(packs) == 0 && len(blobs) == 0) {
		return err
	}
	var deletedBlobs []string
	for _, b := range blobs {
		var o syncObject
		if err := v.getJSON(nil, syncObjKey(r, b), v.keys.sys, &o); err != nil {
			if errors.Is(err, errNoRecord) {
				continue // not on this remote
			}
			return err
		}
		if o.Gone {
			continue
		}
		if err := s.remove(ctx, "", b); err != nil {
			return err
		}
		deletedBlobs = append(deletedBlobs, b)
	}
	var deletedPacks []gone
	for _, p := range packs {
		if err := s.remove(ctx, "", p.name); err != nil {
			return err
		}
		deletedPacks = append(deletedPacks, p)
	}
	if len(deletedBlobs)+len(deletedPacks) == 0 {
		return nil
	}
	return v.commit(func(c *change) error {
		for _, b := range deletedBlobs {
			var o syncObject
			if err := v.getJSON(c.txn, syncObjKey(r, b), v.keys.sys, &o); err != nil {
				return err
			}
			o.Gone = true
			if err := c.putJSON(syncObjKey(r, b), v.keys.sys, o); err != nil {
				return err
			}
			c.audit(OpSyncDelete, []string{r.Name, b}, nil)
		}
		for _, p := range deletedPacks {
			p.obj.Gone = true
			if err := c.putJSON(syncObjKey(r, p.name), v.keys.sys, p.obj); err != nil {
				return err
			}
			c.audit(OpSyncDelete, []string{r.Name, p.name}, nil)
		}
		rep.Deleted += len(deletedBlobs) + len(deletedPacks)
		return nil
	})
}

// purgeRemoved purges a case already removed ('case rm', here or by
// another copy through sync): the rekey leaves out its tombstone (a purged
// vault keeps no key naming the case) and shreds the old store, which may
// still hold its deleted records. ok is false when the case has no
// tombstone or still exists (a normal purge).
func (v *Vault) purgeRemoved(ctx context.Context, id CaseID) (*RekeyStats, bool, error) {
	var t tombstone
	var pt *tombstone
	var remotes []Remote
	var held []string
	err := v.view(func(txn *store.Txn) error {
		if _, err := txn.Get(caseKeyKey(id)); err == nil {
			return errNoRecord
		} else if !errors.Is(err, store.ErrKeyNotFound) {
			return err
		}
		if err := v.getJSON(txn, tombKey(id), v.keys.sys, &t); err != nil {
			return err
		}
		var err error
		if pt, remotes, err = v.purgeTombstone(txn, id, t.Head); err != nil {
			return err
		}
		held, err = v.heldFilesOf(txn, id)
		return err
	})
	if errors.Is(err, errNoRecord) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	st, err := v.copyStore(ctx, &id, func(c *change) error {
		c.auditHash(OpCasePurge, []string{id.String()}, mustHex(t.Head))
		return v.writePurgeOut(c, id, pt, remotes)
	})
	if err != nil {
		return st, true, err
	}
	// The held-back work's record was left out with the case's; its files
	// go too (see Purge).
	for _, p := range held {
		if err := shredFile(p); err != nil {
			return st, true, fmt.Errorf("case purged, but shredding its held-back evidence file failed: %w", err)
		}
	}
	return st, true, nil
}

// unseenByRemoval names what of case id this copy has and the copy that
// removed it (tombstone t) did not: the revisions after the one it removed
// ("revision N"), and the evidence whose blob object it did not know
// ("evidence ID", added here or not yet synced). A removal from another
// copy deletes them here too; sync names them in its report and the audit
// log, so that the loss is seen.
func (c *change) unseenByRemoval(id CaseID, t *tombstone) ([]string, error) {
	v := c.v
	var out []string
	dk, err := v.caseKey(c.txn, id)
	if err != nil {
		return nil, err
	}
	head, err := revisionCount(c.txn, id)
	if err != nil {
		return nil, err
	}
	var revs []string
	for n := head; n >= 1 && head-n < 256; n-- {
		r, err := c.revisionAt(id, n, dk)
		if err != nil {
			return nil, err
		}
		if r.SHA256 == t.Head {
			break
		}
		revs = append(revs, fmt.Sprintf("revision %d", n))
	}
	for i := len(revs) - 1; i >= 0; i-- {
		out = append(out, revs[i])
	}
	known := map[string]bool{}
	for _, b := range t.Blobs {
		known[b] = true
	}
	var states []syncCaseState
	if err := eachKey(c.txn, key(store.PSyncCase, id[:]), true, func(k []byte, item *store.Item) error {
		var st syncCaseState
		if _, err := itemJSON(item, v.keys.sys, &st); err != nil {
			return err
		}
		states = append(states, st)
		return nil
	}); err != nil {
		return nil, err
	}
	err = eachKey(c.txn, evidencePrefix(id), false, func(k []byte, _ *store.Item) error {
		var e EvidenceID
		copy(e[:], k[1+idLen:])
		seen := false
		for _, st := range states {
			if b, ok := st.Evidence[e.String()]; ok && known[b] {
				seen = true
			}
		}
		var stub offloadStub
		if err := v.getJSON(c.txn, offloadKey(e), v.keys.sys, &stub); err == nil && known[stub.Object] {
			seen = true
		} else if err != nil && !errors.Is(err, errNoRecord) {
			return err
		}
		if !seen {
			out = append(out, "evidence "+e.String())
		}
		return nil
	})
	return out, err
}
