package vault

import (
	"context"
	"encoding/hex"
	"errors"
	"sort"

	"github.com/minio/minio-go/v7"

	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// Compaction ('sync --compact'): packs that hold records of removed cases
// beside live ones ("mixed"), and packs recorded by the previous version
// (no case list in the journal), are read, the records of every case with
// a tombstone here are left out, and what remains is written to new packs
// (named now, so every copy's next listing finds them) before the old
// packs are deleted. See SECURITY.md, "Sync through object storage".
//
// Order, safe against a kill at any point:
//  1. a full sync (every object of the prefix applied and journalled);
//  2. packs replaced by an earlier, killed compaction are deleted;
//  3. new packs are sealed, uploaded and verified (hash);
//  4. one commit records each new pack (journal `G`, with its cases) and
//     marks the packs it replaces (`replaced`), audited `sync.compact`;
//  5. the old packs are deleted and marked gone (audited `sync.delete`).
// Killed before 4: the new packs are orphans holding only live records the
// other copies already have or will find again (harmless; the next run
// pulls them and repacks the old packs again). Killed between 4 and 5: the
// next run deletes what is marked replaced.

// CompactReport says what one compaction did.
type CompactReport struct {
	Remote        string      `json:"remote"`
	Sync          *SyncReport `json:"sync"`
	PacksRead     int         `json:"packs_read"`
	PacksWritten  int         `json:"packs_written"`
	PacksDeleted  int         `json:"packs_deleted"`
	BytesRead     int64       `json:"bytes_read"`
	BytesWritten  int64       `json:"bytes_written"`
	BytesDeleted  int64       `json:"bytes_deleted"`
	RecordsKept   int         `json:"records_kept"`
	RecordsLeft   int         `json:"records_left_out"` // records of removed cases not written again
	CasesLeftOut  []string    `json:"cases_left_out"`   // removed cases whose records were in the packs read
	ReplacedEarly int         `json:"replaced_earlier"` // packs a killed compaction had replaced, deleted now
	PacksGone     int         `json:"packs_gone"`       // candidates the store no longer had (another copy's compaction), marked gone
}

// isNoSuchKey reports whether err is the store saying an object does not
// exist.
func isNoSuchKey(err error) bool {
	var re *RemoteError
	return errors.As(err, &re) && minio.ToErrorResponse(re.Err).Code == "NoSuchKey"
}

// markGone records sync object name as no longer in the store, audited
// like a deletion (sync.delete, with "missing"): a pack deleted by another
// copy or by the store's operator.
func (v *Vault) markGone(r *Remote, name string) error {
	var o syncObject
	if err := v.getJSON(nil, syncObjKey(r, name), v.keys.sys, &o); err != nil || o.Gone || !isSyncKind(o) {
		return err
	}
	return v.commit(func(c *change) error {
		o.Gone = true
		if err := c.putJSON(syncObjKey(r, name), v.keys.sys, o); err != nil {
			return err
		}
		c.audit(OpSyncDelete, []string{r.Name, name, "missing"}, nil)
		return nil
	})
}

// CompactHooks let tests stop a compaction between its steps.
type CompactHooks struct {
	SyncHooks
	// AfterUpload, when not nil, is called after the new packs are
	// uploaded and before they are recorded; AfterRecord after the record
	// and before the old packs are deleted. An error stops there.
	AfterUpload func() error
	AfterRecord func() error
}

// Compact syncs with remote name, then repacks its mixed and old-format
// packs so that nothing of the removed cases stays in them.
func (v *Vault) Compact(ctx context.Context, name string, h CompactHooks) (*CompactReport, error) {
	sh := h.SyncHooks
	sh.Full = true
	srep, err := v.Sync(ctx, name, sh)
	crep := &CompactReport{Sync: srep, CasesLeftOut: []string{}}
	if srep != nil {
		crep.Remote = srep.Remote
	}
	if err != nil {
		return crep, err
	}
	r, err := v.Remote(name)
	if err != nil {
		return crep, err
	}
	s, err := openObjStore(r)
	if err != nil {
		return crep, err
	}
	if err := v.deleteReplaced(ctx, r, s, crep, nil); err != nil {
		return crep, err
	}
	// Which packs to read.
	type cand struct {
		name string
		obj  syncObject
	}
	var cands []cand
	tombs := map[string]bool{}
	err = v.view(func(txn *store.Txn) error {
		if err := eachKey(txn, []byte{store.PTomb}, false, func(k []byte, _ *store.Item) error {
			var id CaseID
			copy(id[:], k[1:])
			tombs[id.String()] = true
			return nil
		}); err != nil {
			return err
		}
		return eachKey(txn, key(store.PSyncObj, r.ID), true, func(k []byte, item *store.Item) error {
			var o syncObject
			if _, err := itemJSON(item, v.keys.sys, &o); err != nil {
				return err
			}
			if o.Kind != "pack" || o.Gone || o.Replaced != "" {
				return nil
			}
			old := o.Cases == nil && !o.Tombs
			mixed := false
			for _, c := range o.Cases {
				if tombs[c] {
					mixed = true
				}
			}
			if old || mixed {
				cands = append(cands, cand{hex.EncodeToString(k[1+len(r.ID):]), o})
			}
			return nil
		})
	})
	if err != nil || len(cands) == 0 {
		return crep, err
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].name < cands[j].name })
	keys := v.syncKeys()
	// Read every candidate and keep, in name order, the records of cases
	// without a tombstone here (and every tombstone).
	type newPack struct {
		name     string
		sum      []byte
		size     int64
		es       []syncfmt.Entry
		replaces []string
	}
	var out []*newPack
	var cur []syncfmt.Entry
	var from []string
	size := 0
	seen := map[string]bool{}
	left := map[string]bool{}
	flush := func() error {
		if len(from) == 0 {
			return nil
		}
		np := &newPack{es: cur, replaces: from}
		if len(cur) > 0 {
			body := syncfmt.EncodePack(cur)
			if err := s.clock.check(s.name); err != nil {
				return err
			}
			np.name = syncfmt.NewNameAt(s.clock.now())
			sealed := keys.Seal(np.name, syncfmt.KindPack, body)
			sum, err := s.put(ctx, "", np.name, sealed)
			if err != nil {
				return err
			}
			np.sum, np.size = sum, int64(len(sealed))
			crep.PacksWritten++
			crep.BytesWritten += np.size
		}
		out = append(out, np)
		cur, from, size = nil, nil, 0
		return nil
	}
	for i, c := range cands {
		if err := ctx.Err(); err != nil {
			return crep, err
		}
		if h.Progress != nil {
			h.Progress("compact", i, len(cands))
		}
		sealed, err := s.get(ctx, "", c.name, syncfmt.MaxObject)
		if err != nil {
			if !isNoSuchKey(err) {
				return crep, err
			}
			// Deleted already: by another copy's compaction (which
			// wrote what it kept to a new pack, pulled by the full
			// sync above) or by the store's operator. Marked gone, so
			// that it is no candidate again; nothing of it is read.
			if err := v.markGone(r, c.name); err != nil {
				return crep, err
			}
			crep.PacksGone++
			continue
		}
		body, err := keys.Open(c.name, syncfmt.KindPack, sealed)
		if err != nil {
			return crep, &SyncRefusedError{Remote: r.Name, Objects: []string{c.name}}
		}
		es, err := syncfmt.DecodePack(body)
		if err != nil {
			return crep, &SyncRefusedError{Remote: r.Name, Objects: []string{c.name}}
		}
		crep.PacksRead++
		crep.BytesRead += int64(len(sealed))
		for _, e := range es {
			if len(e.Key) >= 1+idLen && e.Key[0] != store.PTomb {
				var id CaseID
				copy(id[:], e.Key[1:1+idLen])
				if tombs[id.String()] {
					crep.RecordsLeft++
					left[id.String()] = true
					continue
				}
			}
			// The same record twice (a pack uploaded again) is written
			// once; two records under one key (two copies' revision n) both.
			d := string(e.Key) + "\x00" + hex.EncodeToString(sha(e.Value)) + hex.EncodeToString(e.Parent) + e.Blob
			if seen[d] {
				continue
			}
			seen[d] = true
			cur = append(cur, e)
			crep.RecordsKept++
			size += len(e.Key) + len(e.Value) + 64
		}
		from = append(from, c.name)
		if size >= syncfmt.PackTarget {
			if err := flush(); err != nil {
				return crep, err
			}
		}
	}
	if err := flush(); err != nil {
		return crep, err
	}
	for id := range left {
		crep.CasesLeftOut = append(crep.CasesLeftOut, id)
	}
	sort.Strings(crep.CasesLeftOut)
	if h.AfterUpload != nil {
		if err := h.AfterUpload(); err != nil {
			return crep, err
		}
	}
	if len(out) == 0 {
		return crep, nil // every candidate was gone
	}
	// Record the new packs and mark the old ones replaced, in one commit.
	err = v.commit(func(c *change) error {
		now := v.now()
		for _, np := range out {
			if np.name != "" {
				if err := c.putJSON(syncObjKey(r, np.name), v.keys.sys, packObject("up", np.name, np.sum, np.size, np.es, now)); err != nil {
					return err
				}
			}
			by := np.name
			if by == "" {
				by = "-" // nothing of it was kept
			}
			for _, old := range np.replaces {
				var o syncObject
				if err := v.getJSON(c.txn, syncObjKey(r, old), v.keys.sys, &o); err != nil {
					return err
				}
				o.Replaced = by
				if err := c.putJSON(syncObjKey(r, old), v.keys.sys, o); err != nil {
					return err
				}
			}
			c.auditHash(OpSyncCompact, append([]string{r.Name, by}, np.replaces...), np.sum)
		}
		return nil
	})
	if err != nil {
		return crep, err
	}
	if h.AfterRecord != nil {
		if err := h.AfterRecord(); err != nil {
			return crep, err
		}
	}
	return crep, v.deleteReplaced(ctx, r, s, crep, func(n string) { crep.ReplacedEarly-- })
}

// deleteReplaced deletes from the store the packs a compaction marked
// replaced and marks them gone. counted, when not nil, is told of each
// (so that packs of this run are not counted as an earlier run's).
func (v *Vault) deleteReplaced(ctx context.Context, r *Remote, s *objStore, crep *CompactReport, counted func(string)) error {
	type rp struct {
		name string
		obj  syncObject
	}
	var todo []rp
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, key(store.PSyncObj, r.ID), true, func(k []byte, item *store.Item) error {
			var o syncObject
			if _, err := itemJSON(item, v.keys.sys, &o); err != nil {
				return err
			}
			if o.Kind == "pack" && o.Replaced != "" && !o.Gone {
				todo = append(todo, rp{hex.EncodeToString(k[1+len(r.ID):]), o})
			}
			return nil
		})
	})
	if err != nil || len(todo) == 0 {
		return err
	}
	for _, p := range todo {
		if err := s.remove(ctx, "", p.name); err != nil {
			return err
		}
	}
	return v.commit(func(c *change) error {
		for _, p := range todo {
			p.obj.Gone = true
			if err := c.putJSON(syncObjKey(r, p.name), v.keys.sys, p.obj); err != nil {
				return err
			}
			c.audit(OpSyncDelete, []string{r.Name, p.name}, nil)
			crep.PacksDeleted++
			crep.BytesDeleted += p.obj.Size
			crep.ReplacedEarly++
			if counted != nil {
				counted(p.name)
			}
		}
		return nil
	})
}
