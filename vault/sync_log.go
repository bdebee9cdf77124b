package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sort"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
)

// The sync change log (SECURITY.md, "Sync through object storage"): while
// the vault has a remote, every commit that writes or deletes a case's
// key, revisions, evidence records or tombstone appends the IDs of those
// cases under the next sequence number (Q seq), and Q alone holds the last
// sequence. Each remote's cursor (U remote) records the sequence pushed
// last, so a sync reads only the cases changed since; a remote without a
// cursor (added by the previous version, or new) is scanned whole once.

var changeHeadKey = []byte{store.PChange}

func changeKey(seq uint64) []byte  { return key(store.PChange, u64(seq)) }
func syncMarkKey(r *Remote) []byte { return key(store.PSyncMark, r.ID) }
func tombKey(id CaseID) []byte     { return key(store.PTomb, id[:]) }

type changeHead struct {
	Seq uint64 `json:"seq"`
}

type changeEntry struct {
	Cases []string `json:"cases"`
}

// syncMark is a remote's cursor.
type syncMark struct {
	Pushed  uint64 `json:"pushed"`            // change log sequence pushed to the remote
	Scanned bool   `json:"scanned,omitempty"` // every case was looked at once (then Pushed counts)
	After   string `json:"after,omitempty"`   // the next listing starts after this name ("" for all)
}

// tombstone records a case removed (rm) or purged here or on another copy:
// sync carries it, and no later pull brings the case back.
type tombstone struct {
	Op    string    `json:"op"` // "rm" or "purge"
	At    time.Time `json:"at"`
	Head  string    `json:"head,omitempty"`  // SHA-256 of its last revision
	Blobs []string  `json:"blobs,omitempty"` // its evidence's blob objects on remotes, deleted by sync
}

// watchCases has the transaction tell the change which cases it touches.
func (c *change) watchCases() {
	c.txn.Watch(func(k []byte) {
		switch k[0] {
		case pCaseKey, pRevision, pEvidence, store.PTomb:
			if len(k) >= 1+idLen {
				var id CaseID
				copy(id[:], k[1:1+idLen])
				if c.touched == nil {
					c.touched = map[CaseID]struct{}{}
				}
				c.touched[id] = struct{}{}
			}
		}
	})
}

// logChanges appends the touched cases to the change log, when the vault
// has a remote.
func (c *change) logChanges() error {
	if len(c.touched) == 0 {
		return nil
	}
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PRemote}})
	it.Rewind()
	has := it.Valid()
	it.Close()
	if !has {
		return nil
	}
	var h changeHead
	if err := c.v.getJSON(c.txn, changeHeadKey, c.v.keys.sys, &h); err != nil && !errors.Is(err, errNoRecord) {
		return err
	}
	h.Seq++
	e := changeEntry{Cases: make([]string, 0, len(c.touched))}
	for id := range c.touched {
		e.Cases = append(e.Cases, id.String())
	}
	sort.Strings(e.Cases)
	if err := c.putJSON(changeKey(h.Seq), c.v.keys.sys, e); err != nil {
		return err
	}
	return c.putJSON(changeHeadKey, c.v.keys.sys, h)
}

// changedSince returns the cases the change log names after sequence
// from, and the last sequence; ok is false when the log does not reach
// back to from (then the caller scans every case).
func (v *Vault) changedSince(txn *store.Txn, from uint64) (ids []CaseID, head uint64, ok bool, err error) {
	var h changeHead
	if err := v.getJSON(txn, changeHeadKey, v.keys.sys, &h); err != nil && !errors.Is(err, errNoRecord) {
		return nil, 0, false, err
	}
	if from > h.Seq {
		return nil, h.Seq, false, nil
	}
	if from == h.Seq {
		return nil, h.Seq, true, nil
	}
	seen := map[CaseID]bool{}
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PChange}, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	next := from + 1
	for it.Seek(changeKey(next)); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		if len(k) != 9 {
			continue
		}
		seq := binary.BigEndian.Uint64(k[1:])
		if seq > h.Seq {
			break
		}
		if seq != next {
			return nil, h.Seq, false, nil // a gap: trimmed or lost
		}
		next++
		var e changeEntry
		if _, err := itemJSON(it.Item(), v.keys.sys, &e); err != nil {
			return nil, h.Seq, false, err
		}
		for _, s := range e.Cases {
			id, err := ParseCaseID(s)
			if err != nil {
				return nil, h.Seq, false, &CorruptError{What: describeKey(k), Err: err}
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if next != h.Seq+1 {
		return nil, h.Seq, false, nil
	}
	return ids, h.Seq, true, nil
}

// maxTrim bounds the change log entries one sync deletes.
const maxTrim = 20000

// saveSyncMark records a remote's cursor and drops the change log entries
// every remote has pushed. It is bookkeeping of the sync journal, not a
// change to the vault's content: written without an audit entry, and
// losing it only makes the next sync scan every case.
func (v *Vault) saveSyncMark(r *Remote, m syncMark) error {
	if err := v.live(); err != nil {
		return err
	}
	return v.db.Update(func(txn *store.Txn) error {
		if err := putSealedJSON(txn, syncMarkKey(r), v, m); err != nil {
			return err
		}
		rs, err := v.remotes(txn)
		if err != nil {
			return err
		}
		low := m.Pushed
		for i := range rs {
			if bytes.Equal(rs[i].ID, r.ID) {
				continue
			}
			var o syncMark
			if err := v.getJSON(txn, syncMarkKey(&rs[i]), v.keys.sys, &o); err != nil && !errors.Is(err, errNoRecord) {
				return err
			}
			if o.Scanned {
				low = min(low, o.Pushed)
			}
			// A remote not yet scanned looks at every case anyway.
		}
		var del [][]byte
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PChange}})
		for it.Seek(changeKey(0)); it.Valid() && len(del) < maxTrim; it.Next() {
			k := it.Item().KeyCopy(nil)
			if len(k) != 9 || binary.BigEndian.Uint64(k[1:]) > low {
				break
			}
			del = append(del, k)
		}
		it.Close()
		for _, k := range del {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func putSealedJSON(txn *store.Txn, k []byte, v *Vault, val any) error {
	c := &change{v: v, txn: txn}
	return c.putJSON(k, v.keys.sys, val)
}
