package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// RekeyStats describes a finished rekey or purge.
type RekeyStats struct {
	Records  int    // store records written to the new store
	Cases    int    // cases in the new store
	OldStore string // name of the store directory that was shredded
	NewStore string // name of the new store directory
}

// Rekey rotates the master key: every record is copied into a new store
// under keys derived from a new master key, master.age is replaced (and the
// old file overwritten), and the old store directory is shredded. See
// SECURITY.md, "Purge and rekey".
func (v *Vault) Rekey(ctx context.Context) (*RekeyStats, error) {
	return v.copyStore(ctx, nil, func(c *change) error {
		c.audit(OpVaultRekey, nil, nil)
		return nil
	})
}

// Purge removes case id so that it cannot be recovered from the vault
// directory, even with the passphrase: the case's records and data key are
// left out of a rekey copy of the store, and its evidence files are
// shredded. Earlier backups and bundles are out of its reach.
func (v *Vault) Purge(ctx context.Context, id CaseID) (*RekeyStats, error) {
	if st, ok, err := v.purgeRemoved(ctx, id); ok || err != nil {
		return st, err
	}
	var head string
	var blobs []string
	var tomb *tombstone
	var remotes []Remote
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, id)
		if err != nil {
			return err
		}
		defer crypto.Wipe(dk[:])
		cur, err := v.latestRevision(txn, id, dk)
		if errors.Is(err, errRecordTooLarge) {
			cur, err = v.revisionHead(txn, id, dk)
		}
		if err != nil {
			return err
		}
		head = cur.SHA256
		if tomb, remotes, err = v.purgeTombstone(txn, id, head); err != nil {
			return err
		}
		blobs, err = v.caseBlobFiles(txn, id, dk)
		return err
	})
	if err != nil {
		return nil, err
	}
	st, err := v.copyStore(ctx, &id, func(c *change) error {
		c.auditHash(OpCasePurge, []string{id.String()}, mustHex(head))
		return v.writePurgeOut(c, id, tomb, remotes)
	})
	if err != nil {
		return nil, err
	}
	// After the commit point: the data key that sealed these files is gone,
	// so a crash here leaves only undecryptable orphans for check --repair.
	for _, p := range blobs {
		if err := shredFile(p); err != nil {
			return st, fmt.Errorf("case purged, but shredding its evidence file failed: %w", err)
		}
	}
	return st, nil
}

// caseBlobFiles returns the paths of the evidence files of a case, which
// purge shreds.
func (v *Vault) caseBlobFiles(txn *store.Txn, id CaseID, dk crypto.Key) ([]string, error) {
	recs, err := v.caseEvidence(txn, id, dk)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, v.blobPath(r.Blob))
	}
	return out, nil
}

// rekeyBatch bounds the records written per transaction into the new
// store; a transaction that reaches ErrTxnTooBig first is committed early.
const rekeyBatch = 10000

// copyStore is rekey: it copies every live record into a new store under a
// new master key, leaving out case skip (when not nil), appends the audit
// entries of final to the copied chain, and makes the new store current.
// Until master.age is replaced a crash leaves the old vault intact (the new
// directory is a leftover that Open shreds); after it, the new vault.
func (v *Vault) copyStore(ctx context.Context, skip *CaseID, final func(c *change) error) (*RekeyStats, error) {
	return v.copyStoreAs(ctx, skip, nil, final)
}

// copyStoreAs is copyStore under a new identity newID when it is not nil
// (identity rotation, see rotate.go): the new store's audit entries are
// signed with newID, and the commit point is replacing identity.age, with
// master.age.next (the new master key, encrypted to newID) written before
// it and moved over master.age after it.
func (v *Vault) copyStoreAs(ctx context.Context, skip *CaseID, newID *rotation, final func(c *change) error) (*RekeyStats, error) {
	if err := v.needOwner("rotating the master key"); err != nil {
		return nil, err
	}
	if err := v.live(); err != nil {
		return nil, err
	}
	lsm, vlog := v.db.Size()
	if err := v.checkSpace(lsm + vlog); err != nil {
		return nil, err
	}
	mk := crypto.NewKey()
	nv := &Vault{dir: v.dir, dbName: "db-" + randomHex(4), lock: v.lock, id: v.id, mk: mk, keys: deriveKeys(mk), meta: v.meta, opts: v.opts}
	if newID != nil {
		nv.id, nv.meta = newID.id, newID.meta
	}
	newPath := filepath.Join(v.dir, nv.dbName)
	if _, err := os.Stat(newPath); err == nil {
		return nil, fmt.Errorf("rekey: %s already exists", nv.dbName)
	}
	// nv's token cache (its MACs under the new key) is not kept: its memory
	// is outside the Go heap, so it is handed back explicitly.
	defer nv.tokens.Release()
	fail := func(err error) (*RekeyStats, error) {
		if nv.db != nil {
			nv.db.Close()
		}
		_ = shredDir(newPath)
		removeBinding(v.dir, nv.dbName)
		crypto.Wipe(nv.mk[:])
		return nil, err
	}
	// The copy is written without a sync per transaction (nothing depends
	// on it before the commit point); the store is synced, closed (which
	// flushes it to tables) and opened again normally before that point.
	db, err := store.Open(newPath, nv.keys.badger[:], store.Options{NoSyncWrites: true})
	if err != nil {
		return fail(fmt.Errorf("rekey: creating the new store: %w", err))
	}
	nv.db = db
	st := &RekeyStats{OldStore: v.dbName, NewStore: nv.dbName}
	if err := v.copyRecords(ctx, nv, skip, st); err != nil {
		return fail(fmt.Errorf("rekey: %w", err))
	}
	if err := nv.commit(final); err != nil {
		return fail(fmt.Errorf("rekey: %w", err))
	}
	if err := nv.db.Sync(); err != nil {
		return fail(fmt.Errorf("rekey: %w", err))
	}
	err = nv.db.Close()
	nv.db = nil
	if err == nil {
		err = syncDir(newPath)
	}
	if err == nil {
		err = nv.openDB()
	}
	if err != nil {
		return fail(fmt.Errorf("rekey: %w", err))
	}
	// The new store's binding comes before the commit point: a crash in
	// between leaves a bound leftover, which the next open removes. A
	// rotation binds the new store to the new identity.
	bindID := v.id
	if newID != nil {
		bindID = newID.id
	}
	if err := writeBinding(v.dir, bindID, nv.mk, nv.dbName, v.binding.Generation+1, false); err != nil {
		return fail(fmt.Errorf("rekey: %w", err))
	}
	var after error // a failure after the commit point, which Open finishes
	if newID != nil {
		if after, err = v.commitRotation(nv, newID); err != nil {
			return fail(err)
		}
	} else if err := writeMaster(v.dir, v.id, nv.mk, nv.dbName, true); err != nil {
		// The commit point: once master.age names the new store, it is
		// the vault.
		if name, rerr := v.currentStoreName(); rerr != nil || name != nv.dbName {
			return fail(fmt.Errorf("rekey: replacing %s: %w", masterFile, err))
		}
		// Replaced, but overwriting the old file failed: go on.
	}
	// Past the commit point the new store is the vault: its binding says
	// so, which tells it from a copy before the commit point (a rollback
	// to the old store is then refused instead of shredding this one).
	// Should this fail, the next open marks it.
	_ = writeBinding(v.dir, bindID, nv.mk, nv.dbName, v.binding.Generation+1, true)
	nv.binding.Generation, nv.binding.Committed = v.binding.Generation+1, true
	old, oldName := v.db, v.dbName
	v.binding = nv.binding
	v.db, v.dbName, v.mk, v.keys = nv.db, nv.dbName, nv.mk, nv.keys
	v.id, v.meta = nv.id, nv.meta
	v.indexCurrent = true
	v.tokens.Release() // the index was rebuilt; a purged case's words are gone
	_ = old.Close()
	if err := shredDir(filepath.Join(v.dir, oldName)); err != nil {
		return st, fmt.Errorf("rekey done, but shredding the old store failed (the next open retries): %w", err)
	}
	removeBinding(v.dir, oldName)
	if after != nil {
		return st, after
	}
	// The staff's wraps of the new master key (the owner's next open
	// writes any this leaves out).
	_ = v.refreshStaffWraps()
	return st, syncDir(v.dir)
}

// copyRecords writes every live record of v's store into nv's, re-sealed
// under nv's keys where the sealing key derives from the master key.
func (v *Vault) copyRecords(ctx context.Context, nv *Vault, skip *CaseID, st *RekeyStats) error {
	wb := newBatchWriter(nv.db)
	defer wb.discard()
	err := v.view(func(txn *store.Txn) error {
		skipEvid := map[EvidenceID]bool{}
		if skip != nil {
			pfx := evidencePrefix(*skip)
			it := txn.NewIterator(store.IteratorOptions{Prefix: pfx})
			for it.Rewind(); it.Valid(); it.Next() {
				var e EvidenceID
				copy(e[:], it.Item().Key()[len(pfx):])
				skipEvid[e] = true
			}
			it.Close()
		}
		skipCase := func(k []byte) bool {
			return skip != nil && len(k) >= 1+idLen && bytes.Equal(k[1:1+idLen], skip[:])
		}
		// Organisations first: shares (h) sort before them (o) and need
		// their new MACs.
		orgs := map[string][]byte{} // old org MAC -> new org MAC
		oit := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pOrg}})
		for oit.Rewind(); oit.Valid(); oit.Next() {
			val, err := oit.Item().ValueCopy(nil)
			if err == nil {
				_, err = v.rekeyOrgKey(oit.Item().KeyCopy(nil), val, nv, orgs)
			}
			if err != nil {
				oit.Close()
				return err
			}
		}
		oit.Close()
		var cases []CaseID
		it := txn.NewIterator(store.IteratorOptions{PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		var skipTo []byte // the next kind, past one that is rebuilt
		advance := func() {
			if skipTo != nil {
				it.Seek(skipTo)
				skipTo = nil
			} else {
				it.Next()
			}
		}
		for it.Rewind(); it.Valid(); advance() {
			if err := ctx.Err(); err != nil {
				return err // before the commit point: the copy is shredded
			}
			item := it.Item()
			k := item.KeyCopy(nil)
			val, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			kind := store.KindOf(k)
			if kind == nil {
				return fmt.Errorf("store record with unknown prefix %q: this casevault cannot rekey it", k[0])
			}
			switch kind.Purge {
			case store.PurgeCase:
				if skipCase(k) {
					continue
				}
			case store.PurgeEvidence:
				var e EvidenceID
				copy(e[:], k[1:])
				if skipEvid[e] {
					continue
				}
			case store.PurgeOrigin:
				if v.originOfSkipped(k, val, skip) {
					continue
				}
			}
			switch kind.Rekey {
			case store.RekeyReseal:
				if k[0] == store.POffload {
					err = v.rekeyStub(k, val, nv, wb)
					break
				}
				if k[0] == store.PRemote {
					err = v.rekeyRemote(k, val, nv, wb)
					break
				}
				old, neu, err2 := v.sealKeys(nv, kind.Seal)
				if err2 != nil {
					return err2
				}
				err = wb.reseal(k, k, old, neu, val)
			case store.RekeyRewrap:
				var id CaseID
				copy(id[:], k[1:])
				dk, err := crypto.UnwrapKey(v.keys.caseKEK, val, recordAD(k))
				if err != nil {
					return &CorruptError{What: describeKey(k), Err: err}
				}
				err = wb.set(k, crypto.WrapKey(nv.keys.caseKEK, dk, recordAD(k)))
				crypto.Wipe(dk[:])
				cases = append(cases, id)
			case store.RekeyCopy:
				// Sealed under the case's data key, which does not change.
				err = wb.set(k, val)
			case store.RekeyRebuild:
				// Rebuilt below from each case's current revision: the
				// posting keys are MACs under the old index key. Every
				// key of a kind starts with its prefix byte.
				skipTo = []byte{k[0] + 1}
				continue
			case store.RekeyRemapOrg:
				nk, err2 := v.rekeyOrgKey(k, val, nv, orgs)
				if err2 != nil {
					return err2
				}
				err = wb.reseal(k, nk, v.keys.sys, nv.keys.sys, val)
			case store.RekeyRemapShare:
				mac, ok := orgs[string(k[1+idLen:])]
				if !ok {
					return &CorruptError{What: describeKey(k), Err: errors.New("share names no known organisation")}
				}
				err = wb.reseal(k, key(k[0], k[1:1+idLen], mac), v.keys.sys, nv.keys.sys, val)
			default:
				return fmt.Errorf("store record kind %q has no rekey mode: this casevault cannot rekey it", kind.Name)
			}
			if err != nil {
				return err
			}
		}
		it.Close()
		vocab, err := v.rekeyCaseIndex(ctx, cases, nv, wb)
		if err != nil {
			return err
		}
		if err := writeRebuiltIndex(nv.keys.index, vocab, wb.set); err != nil {
			return err
		}
		st.Cases = len(cases)
		return nil
	})
	if err != nil {
		return err
	}
	st.Records = wb.n
	return wb.flush()
}

// sealKeys returns the old and new keys of a sealing kind that rekey
// reseals.
func (v *Vault) sealKeys(nv *Vault, s store.Seal) (old, neu crypto.Key, err error) {
	old, ok := v.sealKey(s)
	neu, _ = nv.sealKey(s)
	if !ok {
		return old, neu, fmt.Errorf("internal error: rekey cannot reseal records sealed with key kind %d", s)
	}
	return old, neu, nil
}

// rekeyOrgKey returns the new store key of a record keyed by an organisation
// MAC (organisations, witnesses): the organisation's name is read from the
// record, its old MAC checked, and the MAC recomputed under nv's sys key.
func (v *Vault) rekeyOrgKey(k, sealed []byte, nv *Vault, orgs map[string][]byte) ([]byte, error) {
	const at = 1 // o mac(8), w mac(8) seq(8)
	if len(k) < at+8 {
		return nil, &CorruptError{What: describeKey(k), Err: errors.New("short key")}
	}
	var rec struct {
		Org  string `json:"org"`
		Name string `json:"name"`
	}
	if err := openJSON(k, v.keys.sys, sealed, &rec); err != nil {
		return nil, err
	}
	old := k[at : at+8]
	for _, name := range []string{rec.Org, rec.Name} {
		if name != "" && bytes.Equal(v.orgMAC(name), old) {
			mac := nv.orgMAC(name)
			orgs[string(old)] = mac
			nk := bytes.Clone(k)
			copy(nk[at:], mac)
			return nk, nil
		}
	}
	return nil, &CorruptError{What: describeKey(k), Err: errors.New("organisation name does not match its key")}
}

// A batchWriter writes records into a store in transactions of bounded
// size.
type batchWriter struct {
	db  *store.DB
	txn *store.Txn
	n   int // records written
	cur int // records in txn
}

func newBatchWriter(db *store.DB) *batchWriter { return &batchWriter{db: db} }

func (w *batchWriter) set(k, val []byte) error {
	if w.txn == nil {
		w.txn = w.db.NewTransaction(true)
	}
	err := w.txn.Set(k, val)
	if errors.Is(err, store.ErrTxnTooBig) {
		if err := w.flush(); err != nil {
			return err
		}
		w.txn = w.db.NewTransaction(true)
		err = w.txn.Set(k, val)
	}
	if err != nil {
		return err
	}
	w.cur++
	w.n++
	if w.cur >= rekeyBatch {
		return w.flush()
	}
	return nil
}

// reseal opens a record stored under oldKey and stores it under newKey
// sealed with newSK.
func (w *batchWriter) reseal(oldKey, newKey []byte, oldSK, newSK crypto.Key, sealed []byte) error {
	pt, err := openRecord(oldKey, oldSK, sealed)
	if err != nil {
		return err
	}
	err = w.set(newKey, crypto.Seal(newSK, pt, recordAD(newKey)))
	crypto.Wipe(pt)
	return err
}

func (w *batchWriter) flush() error {
	if w.txn == nil {
		return nil
	}
	err := w.txn.Commit()
	w.txn, w.cur = nil, 0
	w.db.ReleaseTables() // the new store's tables, as an import's (store.ReleaseTables)
	return err
}

func (w *batchWriter) discard() {
	if w.txn != nil {
		w.txn.Discard()
		w.txn = nil
	}
}

// currentStoreName reads master.age and returns the store directory it
// names.
func (v *Vault) currentStoreName() (string, error) {
	ct, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	if err != nil {
		return "", err
	}
	pt, err := crypto.DecryptWithIdentity(ct, v.id.AgeIdentity(), maxKeyFile)
	if err != nil {
		return "", err
	}
	defer crypto.Wipe(pt)
	var mp masterPayload
	if err := json.Unmarshal(pt, &mp); err != nil {
		return "", err
	}
	crypto.Wipe(mp.MasterKey)
	return mp.DB, nil
}
