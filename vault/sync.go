package vault

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// SyncReport says what one sync did.
type SyncReport struct {
	Remote       string   `json:"remote"`
	PacksUp      int      `json:"packs_uploaded"`
	BlobsUp      int      `json:"blobs_uploaded"`
	BytesUp      int64    `json:"bytes_uploaded"`
	PacksDown    int      `json:"packs_applied"`
	CasesUp      int      `json:"cases_uploaded"`
	CasesDown    int      `json:"cases_changed_here"`
	EvidenceDown int      `json:"evidence_received"`
	Conflicts    []string `json:"conflicts"`           // cases with another copy's revision kept beside ours
	Refused      []string `json:"refused"`             // objects on the store that do not open under this vault's keys
	Skipped      []string `json:"skipped"`             // cases removed here that other copies changed (not applied)
	Removed      []string `json:"removed"`             // cases removed here because another copy removed or purged them
	Held         []string `json:"held,omitempty"`      // "CASE revision N" / "CASE evidence ID": what such a removal would have deleted here, held back (Held, RestoreHeld)
	Discarded    []string `json:"discarded,omitempty"` // "CASE revision N" / "CASE evidence ID": what such a removal deleted here that the removing copy did not have
	Deleted      int      `json:"objects_deleted"`
	Examined     int      `json:"cases_examined"`        // cases whose journal was read to find what to upload
	Listed       int      `json:"objects_listed"`        // objects the store listed (after the last listing's start)
	Waiting      []string `json:"waiting,omitempty"`     // packs of a case not here whose first revisions have not arrived: read again next sync
	PurgesSent   []string `json:"purges_sent,omitempty"` // cases purged here whose tombstone this sync sent (to a remote the purge re-keyed)
}

// SyncRefusedError is returned by Sync when objects on the store did not
// open under this vault's sync key (planted, altered or truncated): they
// were left unread and nothing of them applied; everything else synced.
type SyncRefusedError struct {
	Remote  string
	Objects []string
}

func (e *SyncRefusedError) Error() string {
	return fmt.Sprintf("remote %q: %d objects refused: they do not open under this vault's sync key (planted, altered or truncated): %v", e.Remote, len(e.Objects), e.Objects)
}
func (e *SyncRefusedError) Is(target error) bool {
	return target == syncfmt.ErrDamaged || target == errs.ErrDamaged
}

// syncCaseState is a PSyncCase record: how far a case was uploaded to one
// remote (or received from it).
type syncCaseState struct {
	Rev      uint32            `json:"rev"`
	Evidence map[string]string `json:"evidence,omitempty"` // evidence ID -> blob object
	Tomb     bool              `json:"tomb,omitempty"`     // the case's tombstone is on the remote
}

// syncObject is a PSyncObj record: an object uploaded from here or
// applied here.
type syncObject struct {
	Kind   string    `json:"kind"` // "pack" or "blob"
	Dir    string    `json:"dir"`  // "up" or "down"
	Size   int64     `json:"size"`
	SHA256 string    `json:"sha256,omitempty"`
	At     time.Time `json:"at"`
	// Of a pack: the cases it holds records of, and whether it holds
	// tombstones. A pack whose cases all have tombstones here, and that
	// holds none, is deleted from the store (collectRemoved). Packs
	// recorded by the previous version have no list and are kept.
	Cases []string `json:"cases,omitempty"`
	Tombs bool     `json:"tombs,omitempty"`
	Gone  bool     `json:"gone,omitempty"` // deleted from the store
	// Of a pack a compaction repacked: the pack holding what it kept
	// ("-" when nothing), recorded before this one is deleted.
	Replaced string `json:"replaced,omitempty"`
}

// packObject is the journal record of a pack holding es.
func packObject(dir, name string, sum []byte, size int64, es []syncfmt.Entry, at time.Time) syncObject {
	o := syncObject{Kind: "pack", Dir: dir, Size: size, SHA256: hex.EncodeToString(sum), At: at, Cases: []string{}}
	seen := map[string]bool{}
	for _, e := range es {
		if len(e.Key) < 1+idLen {
			continue
		}
		if e.Key[0] == store.PTomb {
			o.Tombs = true
			continue
		}
		var id CaseID
		copy(id[:], e.Key[1:1+idLen])
		if s := id.String(); !seen[s] {
			seen[s] = true
			o.Cases = append(o.Cases, s)
		}
	}
	return o
}

func syncCaseKey(id CaseID, r *Remote) []byte { return key(store.PSyncCase, id[:], r.ID) }
func syncObjKey(r *Remote, name string) []byte {
	b, _ := hex.DecodeString(name)
	return key(store.PSyncObj, r.ID, b)
}

// inboxObjKey is the journal key of an inbox object (sent or received):
// apart from the sync objects, so that an inbox object named like a pack
// never makes the pull, compaction or deletion take that pack as known.
func inboxObjKey(r *Remote, name string) []byte {
	b, _ := hex.DecodeString(name)
	return key(store.PInboxObj, r.ID, b)
}

// isSyncKind reports whether a G record is of a sync object (a pack or a
// blob). Vaults written before the inbox had its own journal (I) may hold
// inbox records under G; they do not count as a sync object.
func isSyncKind(o syncObject) bool { return o.Kind == "pack" || o.Kind == "blob" }

func (v *Vault) syncKeys() syncfmt.Keys { return syncfmt.DeriveKeys(v.mk) }

// SyncHooks let tests and progress displays follow a sync.
type SyncHooks struct {
	// Progress, when not nil, is told of each step.
	Progress func(step string, done, total int)
	// Full, when set, lists every object of the remote and looks at
	// every case, not only what changed since the last sync (for objects
	// written by copies of the previous version, whose names do not
	// sort by time).
	Full bool
}

// Sync exchanges the vault's cases and evidence with a remote: objects
// there that this copy has not applied are downloaded, checked and
// applied (a concurrent change to the same case keeps both revisions),
// then what changed here since the last sync is uploaded in packs of
// sealed records. Each step commits its own journal records only after the
// store confirmed (hash) or the records applied, so a sync killed at any
// point leaves both sides consistent and the next one completes it.
func (v *Vault) Sync(ctx context.Context, name string, h SyncHooks) (*SyncReport, error) {
	r, err := v.Remote(name)
	if err != nil {
		return nil, err
	}
	if err := r.checkNotRekeyed(); err != nil {
		// A purge's tombstone still goes out under the old keys.
		rep, perr := v.sendPurges(ctx, r)
		if perr != nil {
			return rep, perr
		}
		return rep, err
	}
	s, err := openObjStore(r)
	if err != nil {
		return nil, err
	}
	if err := s.ensureBucket(ctx); err != nil {
		return nil, err
	}
	rep := &SyncReport{Remote: r.Name, Conflicts: []string{}, Refused: []string{}, Skipped: []string{}, Removed: []string{}}
	var mark syncMark
	if err := v.getJSON(nil, syncMarkKey(r), v.keys.sys, &mark); err != nil && !errors.Is(err, errNoRecord) {
		return rep, err
	}
	if err := s.clock.check(r.Name); err != nil {
		return rep, err
	}
	next := mark
	if err := v.syncPull(ctx, r, s, rep, h, &next); err != nil {
		return rep, err
	}
	// Checked again before anything is uploaded and before the cursor
	// moves: every response of the pull counted.
	if err := s.clock.check(r.Name); err != nil {
		return rep, err
	}
	if err := v.syncPush(ctx, r, s, rep, h, &next); err != nil {
		return rep, err
	}
	if err := s.clock.check(r.Name); err != nil {
		return rep, err
	}
	// One write of the cursor, after both steps: when the push went on,
	// when it scanned everything, or when the listing would start more
	// than 5 minutes later (an idle sync writes nothing).
	if next.Pushed != mark.Pushed || next.Scanned != mark.Scanned || next.After > syncfmt.NameAfter(markTime(mark.After).Add(5*time.Minute)) || next.After < mark.After {
		if err := v.saveSyncMark(r, next); err != nil {
			return rep, err
		}
	}
	if err := v.collectRemoved(ctx, r, s, rep); err != nil {
		return rep, err
	}
	if len(rep.Refused) > 0 {
		return rep, &SyncRefusedError{Remote: r.Name, Objects: rep.Refused}
	}
	return rep, nil
}

// ---- push

type pushItem struct {
	id       CaseID
	from, to uint32            // revisions from+1..to are new
	evidence []EvidenceID      // evidence not yet uploaded
	state    syncCaseState     // as recorded
	tomb     bool              // removed here: its tombstone is sent
	blobs    map[string]string // filled while uploading: evidence ID -> object
}

func (v *Vault) syncPush(ctx context.Context, r *Remote, s *objStore, rep *SyncReport, h SyncHooks, mark *syncMark) error {
	var work []*pushItem
	var head uint64
	err := v.view(func(txn *store.Txn) error {
		known := mark.Scanned
		ids, hd, ok, err := v.changedSince(txn, mark.Pushed)
		if err != nil {
			return err
		}
		head = hd
		if known && ok && !h.Full {
			// Only the cases the change log names since the last push.
			for _, id := range ids {
				rep.Examined++
				it, err := v.pushItemFor(txn, r, id)
				if err != nil {
					return err
				}
				if it != nil {
					work = append(work, it)
				}
			}
			return nil
		}
		// Every case and every tombstone (the first sync with this
		// remote, or a vault written by the previous version).
		if err := eachKey(txn, []byte{pCaseKey}, false, func(k []byte, _ *store.Item) error {
			var id CaseID
			copy(id[:], k[1:])
			rep.Examined++
			it, err := v.pushItemFor(txn, r, id)
			if it != nil {
				work = append(work, it)
			}
			return err
		}); err != nil {
			return err
		}
		return eachKey(txn, []byte{store.PTomb}, false, func(k []byte, _ *store.Item) error {
			var id CaseID
			copy(id[:], k[1:])
			rep.Examined++
			it, err := v.pushItemFor(txn, r, id)
			if it != nil {
				work = append(work, it)
			}
			return err
		})
	})
	if err != nil {
		return err
	}
	if err := v.pushWork(ctx, r, s, work, rep, h); err != nil {
		return err
	}
	mark.Pushed, mark.Scanned = head, true
	return nil
}

// pushItemFor returns what of case id is to be uploaded to r: nil when
// the remote has everything. A removed case sends its tombstone.
func (v *Vault) pushItemFor(txn *store.Txn, r *Remote, id CaseID) (*pushItem, error) {
	var st syncCaseState
	if err := v.getJSON(txn, syncCaseKey(id, r), v.keys.sys, &st); err != nil && !errors.Is(err, errNoRecord) {
		return nil, err
	}
	if _, err := txn.Get(caseKeyKey(id)); errors.Is(err, store.ErrKeyNotFound) {
		if st.Tomb {
			return nil, nil
		}
		if _, err := txn.Get(tombKey(id)); errors.Is(err, store.ErrKeyNotFound) {
			return nil, nil // removed by the previous version: nothing to send
		} else if err != nil {
			return nil, err
		}
		return &pushItem{id: id, state: st, tomb: true}, nil
	} else if err != nil {
		return nil, err
	}
	head, err := revisionCount(txn, id)
	if err != nil {
		return nil, err
	}
	it := &pushItem{id: id, from: st.Rev, to: head, state: st}
	if err := eachKey(txn, evidencePrefix(id), false, func(ek []byte, _ *store.Item) error {
		var e EvidenceID
		copy(e[:], ek[1+idLen:])
		if _, ok := st.Evidence[e.String()]; !ok {
			it.evidence = append(it.evidence, e)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if it.to > it.from || len(it.evidence) > 0 {
		return it, nil
	}
	return nil, nil
}

func (v *Vault) pushWork(ctx context.Context, r *Remote, s *objStore, work []*pushItem, rep *SyncReport, h SyncHooks) error {
	keys := v.syncKeys()
	var batch []*pushItem
	var entries []syncfmt.Entry
	size := 0
	flush := func() error {
		if len(entries) == 0 {
			return nil
		}
		if err := v.pushPack(ctx, r, s, keys, batch, entries, rep); err != nil {
			return err
		}
		batch, entries, size = nil, nil, 0
		return nil
	}
	for i, it := range work {
		if err := ctx.Err(); err != nil {
			return err
		}
		if h.Progress != nil {
			h.Progress("upload", i, len(work))
		}
		es, err := v.pushEntries(ctx, r, s, keys, it, rep)
		if err != nil {
			return err
		}
		batch = append(batch, it)
		entries = append(entries, es...)
		for _, e := range es {
			size += len(e.Key) + len(e.Value) + 64
		}
		if size >= syncfmt.PackTarget {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// revisionCount returns the number of the newest revision of a case (0
// when it has none), from the keys alone.
func revisionCount(txn *store.Txn, id CaseID) (uint32, error) {
	pfx := revisionPrefix(id)
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, Reverse: true})
	defer it.Close()
	it.Seek(append(bytes.Clone(pfx), 0xff, 0xff, 0xff, 0xff))
	if !it.Valid() {
		return 0, nil
	}
	k := it.Item().Key()
	if len(k) != 1+idLen+4 {
		return 0, &CorruptError{What: describeKey(k), Err: errors.New("malformed revision key")}
	}
	return binary.BigEndian.Uint32(k[1+idLen:]), nil
}

// pushEntries reads the records of one case to upload: its key record on
// the first upload, the new revisions (each with its parent's SHA-256) and
// the new evidence records, whose blobs it uploads first.
func (v *Vault) pushEntries(ctx context.Context, r *Remote, s *objStore, keys syncfmt.Keys, it *pushItem, rep *SyncReport) ([]syncfmt.Entry, error) {
	var es []syncfmt.Entry
	type blobJob struct {
		rec *evidenceRecord
		e   syncfmt.Entry
	}
	var jobs []blobJob
	if it.tomb {
		err := v.view(func(txn *store.Txn) error {
			item, err := txn.Get(tombKey(it.id))
			if err != nil {
				return err
			}
			val, err := item.ValueCopy(nil)
			es = append(es, syncfmt.Entry{Key: tombKey(it.id), Value: val})
			return err
		})
		return es, err
	}
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, it.id)
		if err != nil {
			return err
		}
		raw := func(k []byte) ([]byte, error) {
			item, err := txn.Get(k)
			if err != nil {
				return nil, err
			}
			return item.ValueCopy(nil)
		}
		if it.from == 0 {
			val, err := raw(caseKeyKey(it.id))
			if err != nil {
				return err
			}
			es = append(es, syncfmt.Entry{Key: caseKeyKey(it.id), Value: val})
		}
		var parent []byte
		if it.from > 0 {
			item, err := txn.Get(revisionKey(it.id, it.from))
			if err != nil {
				return err
			}
			prev, err := v.decodeRevision(item, it.id, dk)
			if err != nil {
				return err
			}
			parent, _ = hex.DecodeString(prev.SHA256)
		}
		for n := it.from + 1; n <= it.to; n++ {
			k := revisionKey(it.id, n)
			val, err := raw(k)
			if err != nil {
				return err
			}
			rev, err := decodeRevisionValue(k, val, it.id, dk)
			if err != nil {
				return err
			}
			es = append(es, syncfmt.Entry{Key: k, Value: val, Parent: parent})
			parent, _ = hex.DecodeString(rev.SHA256)
		}
		for _, e := range it.evidence {
			k := evidenceKey(it.id, e)
			item, err := txn.Get(k)
			if err != nil {
				return err
			}
			rec, err := v.decodeEvidence(item, dk)
			if err != nil {
				return err
			}
			val, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			entry := syncfmt.Entry{Key: k, Value: val}
			var stub offloadStub
			switch err := v.getJSON(txn, offloadKey(e), v.keys.sys, &stub); {
			case err == nil && bytes.Equal(stub.Remote, r.ID):
				entry.Blob, entry.Size = stub.Object, stub.Size
			case err == nil:
				return fmt.Errorf("evidence %s is kept only on another remote: fetch it back before syncing it here", e)
			case !errors.Is(err, errNoRecord):
				return err
			}
			jobs = append(jobs, blobJob{rec: rec, e: entry})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	it.blobs = map[string]string{}
	for _, j := range jobs {
		if j.e.Blob == "" {
			name, size, err := v.uploadBlob(ctx, s, keys, j.rec)
			if err != nil {
				return nil, err
			}
			j.e.Blob, j.e.Size = name, size
			rep.BlobsUp++
			rep.BytesUp += size
		}
		it.blobs[j.rec.ID] = j.e.Blob
		es = append(es, j.e)
	}
	return es, nil
}

// uploadBlob uploads an evidence item's sealed file, sealed once more as
// a blob object at a fresh random name, and verifies it.
func (v *Vault) uploadBlob(ctx context.Context, s *objStore, keys syncfmt.Keys, rec *evidenceRecord) (string, int64, error) {
	f, err := openBlobFile(v.blobPath(rec.Blob))
	if err != nil {
		return "", 0, &EvidenceDamagedError{Evidence: rec.ID, Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, err
	}
	name := syncfmt.NewNameAt(s.clock.now())
	size := syncfmt.PaddedBlobSize(fi.Size())
	// Sealed straight into the upload's one part buffer (remote_upload.go).
	u := s.newUpload(ctx, "", name, size)
	bw, err := keys.BlobWriter(u, name)
	if err == nil {
		content := io.MultiReader(io.LimitReader(f, fi.Size()), syncfmt.Zeros(syncfmt.BlobPadded(fi.Size())-fi.Size()))
		_, err = io.CopyBuffer(bw, content, make([]byte, 256<<10))
		if err == nil {
			err = bw.Close()
		}
	}
	if err != nil {
		u.abort()
		return "", 0, err
	}
	if err := u.Close(); err != nil {
		return "", 0, err
	}
	// Recorded as ours, so that pulls skip it.
	return name, size, nil
}

// pushPack seals and uploads one pack, then records it, the cases and the
// blobs it carries in the journal, with one audit entry.
func (v *Vault) pushPack(ctx context.Context, r *Remote, s *objStore, keys syncfmt.Keys, batch []*pushItem, es []syncfmt.Entry, rep *SyncReport) error {
	body := syncfmt.EncodePack(es)
	var name string
	var sealed, sum []byte
	for attempt := 1; ; attempt++ {
		// Named by the store's clock only while it agrees with ours.
		if err := s.clock.check(s.name); err != nil {
			return err
		}
		t0 := time.Now()
		name = syncfmt.NewNameAt(s.clock.now())
		sealed = keys.Seal(name, syncfmt.KindPack, body)
		var err error
		if sum, err = s.put(ctx, "", name, sealed); err != nil {
			return err
		}
		if time.Since(t0) <= listMargin/2 || attempt == 3 {
			break
		}
		// So slow that its name, which sorts by the time it was made,
		// could fall behind where another copy's next listing starts:
		// sent again under a newer name.
		_ = s.remove(ctx, "", name)
	}
	err := v.commit(func(c *change) error {
		now := v.now()
		if err := c.putJSON(syncObjKey(r, name), v.keys.sys, packObject("up", name, sum, int64(len(sealed)), es, now)); err != nil {
			return err
		}
		for _, e := range es {
			if e.Blob != "" {
				if err := c.putJSON(syncObjKey(r, e.Blob), v.keys.sys, syncObject{Kind: "blob", Dir: "up", Size: e.Size, At: now}); err != nil {
					return err
				}
			}
		}
		for _, it := range batch {
			st := it.state
			st.Rev = max(st.Rev, it.to)
			st.Tomb = st.Tomb || it.tomb
			if len(it.blobs) > 0 && st.Evidence == nil {
				st.Evidence = map[string]string{}
			}
			for e, b := range it.blobs {
				st.Evidence[e] = b
			}
			if err := c.putJSON(syncCaseKey(it.id, r), v.keys.sys, st); err != nil {
				return err
			}
		}
		c.auditHash(OpSyncPush, []string{r.Name, name}, sum)
		return nil
	})
	if err != nil {
		return err
	}
	rep.PacksUp++
	rep.CasesUp += len(batch)
	rep.BytesUp += int64(len(sealed))
	return nil
}

// ---- pull

// listMargin is how far before the last listing's start the next one
// starts: names sort by the store's time at which they were made, and an
// upload made just before a listing may become visible just after it.
const listMargin = 15 * time.Minute

func (v *Vault) syncPull(ctx context.Context, r *Remote, s *objStore, rep *SyncReport, h SyncHooks, mark *syncMark) error {
	keys := v.syncKeys()
	type obj struct {
		name string
		size int64
	}
	after := mark.After
	// A cursor ahead of this computer's clock (set from a false Date by a
	// previous version) would skip every object written since: listed
	// from the start, and reset below.
	ahead := mark.After > syncfmt.NameAfter(time.Now().Add(clockTolerance))
	if h.Full || ahead {
		after = ""
	}
	started := s.clock.now()
	var unknown []obj
	err := s.listAfter(ctx, "", after, func(name string, size int64) error {
		rep.Listed++
		if !syncfmt.ValidName(name) {
			rep.Refused = append(rep.Refused, name)
			return nil
		}
		unknown = append(unknown, obj{name, size})
		return nil
	})
	if err != nil {
		return err
	}
	// Drop what the journal knows.
	var todo []obj
	err = v.view(func(txn *store.Txn) error {
		for _, o := range unknown {
			var rec syncObject
			if err := v.getJSON(txn, syncObjKey(r, o.name), v.keys.sys, &rec); err == nil {
				if isSyncKind(rec) {
					continue
				}
			} else if !errors.Is(err, errNoRecord) {
				return err
			}
			todo = append(todo, o)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// In the order they were written (names sort by time), so that a
	// copy's revisions arrive after their parents.
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].name < todo[j].name })
	// A pack with a revision whose parent this copy does not have yet
	// (written earlier under a later name: a clock stepped back) waits
	// for the other packs of the pull, then is tried again while any
	// applies; one still waiting is kept as conflicts where the case is
	// here, else left unrecorded and the cursor held before it, so the
	// next sync reads it again. No revision is dropped.
	type waiting struct {
		name string
		sum  []byte
		size int64
		es   []syncfmt.Entry
	}
	var wait []waiting
	held := ""
	apply := func(w waiting, final bool) (bool, error) {
		missing, absent, err := v.packMissesParents(w.es)
		if err != nil || (missing && !final) {
			return false, err
		}
		if err := v.applyPack(r, w.name, w.sum, w.size, w.es, !absent, rep); err != nil {
			var ce *CorruptError
			if errors.As(err, &ce) {
				// Sealed by a key holder but not acceptable here.
				rep.Refused = append(rep.Refused, w.name+" ("+ce.Error()+")")
				return true, nil
			}
			return false, err
		}
		rep.PacksDown++
		return true, nil
	}
	for i, o := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		if h.Progress != nil {
			h.Progress("download", i, len(todo))
		}
		isBlob, err := v.isBlobObject(ctx, s, keys, o.name, o.size)
		if err != nil {
			return err
		}
		if isBlob {
			continue // fetched on demand; known once a pack names it
		}
		if o.size > syncfmt.MaxObject {
			rep.Refused = append(rep.Refused, o.name)
			continue
		}
		sealed, err := s.get(ctx, "", o.name, syncfmt.MaxObject)
		if err != nil {
			if errors.Is(err, syncfmt.ErrDamaged) {
				rep.Refused = append(rep.Refused, o.name)
				continue
			}
			return err
		}
		body, err := keys.Open(o.name, syncfmt.KindPack, sealed)
		if err != nil {
			rep.Refused = append(rep.Refused, o.name)
			continue
		}
		es, err := syncfmt.DecodePack(body)
		if err != nil {
			rep.Refused = append(rep.Refused, o.name)
			continue
		}
		w := waiting{o.name, sha(sealed), int64(len(sealed)), es}
		done, err := apply(w, false)
		if err != nil {
			return err
		}
		if !done {
			wait = append(wait, w)
		}
	}
	for progress := true; progress && len(wait) > 0; {
		progress = false
		var still []waiting
		for _, w := range wait {
			done, err := apply(w, false)
			if err != nil {
				return err
			}
			if done {
				progress = true
			} else {
				still = append(still, w)
			}
		}
		wait = still
	}
	for _, w := range wait {
		if _, err := apply(w, true); err != nil {
			return err
		}
		if ok, err := v.pulledBefore(r, w.name); err != nil {
			return err
		} else if !ok {
			// Not applied (a case not here at all): read again next time.
			rep.Waiting = append(rep.Waiting, w.name)
			if held == "" || w.name[:12] < held {
				held = w.name[:12]
			}
		}
	}
	if err := s.clock.check(r.Name); err != nil {
		return err
	}
	next := syncfmt.NameAfter(started.Add(-listMargin))
	if limit := syncfmt.NameAfter(time.Now().Add(clockTolerance)); next > limit {
		next = limit
	}
	if held != "" && next > held {
		next = held
	}
	if next > mark.After || ((h.Full || ahead) && next != mark.After) {
		mark.After = next
	}
	return nil
}

// markTime is the time a listing cursor stands for (zero for none).
func markTime(after string) time.Time {
	b, err := hex.DecodeString(after)
	if err != nil || len(b) != 6 {
		return time.Time{}
	}
	var ms int64
	for _, c := range b {
		ms = ms<<8 | int64(c)
	}
	return time.UnixMilli(ms)
}

// isBlobObject tells a blob object from others by its first bytes, which
// for a blob are a MAC of its name under the blob key: only a key holder
// can tell, and a planted object cannot pass for one.
func (v *Vault) isBlobObject(ctx context.Context, s *objStore, keys syncfmt.Keys, name string, size int64) (bool, error) {
	hdr := keys.BlobHeader(name)
	if size < syncfmt.BlobSize(0) {
		return false, nil
	}
	rc, _, err := s.getRange(ctx, "", name, int64(len(hdr)))
	if err != nil {
		return false, err
	}
	defer rc.Close()
	got := make([]byte, len(hdr))
	if _, err := io.ReadFull(rc, got); err != nil {
		return false, nil
	}
	return crypto.Equal(got, hdr), nil
}

// casesPerCommit bounds the cases one transaction of a pull applies.
const casesPerCommit = 400

type pulledCase struct {
	id       CaseID
	key      []byte
	revs     []syncfmt.Entry
	evidence []syncfmt.Entry
	tomb     []byte // the sealed tombstone, when the pack carries one
}

// applyPack applies the records of one pack, a few hundred cases per
// transaction; the pack is recorded as applied with the last. Applying a
// pack twice changes nothing the second time, so a pull killed between two
// transactions completes at the next.
func (v *Vault) applyPack(r *Remote, name string, sum []byte, size int64, es []syncfmt.Entry, record bool, rep *SyncReport) error {
	byCase := map[CaseID]*pulledCase{}
	var order []CaseID
	get := func(k []byte) (*pulledCase, error) {
		if len(k) < 1+idLen {
			return nil, &CorruptError{What: "pack " + name, Err: errors.New("short key")}
		}
		var id CaseID
		copy(id[:], k[1:])
		pc := byCase[id]
		if pc == nil {
			pc = &pulledCase{id: id}
			byCase[id] = pc
			order = append(order, id)
		}
		return pc, nil
	}
	for _, e := range es {
		pc, err := get(e.Key)
		if err != nil {
			return err
		}
		switch {
		case e.Key[0] == pCaseKey && len(e.Key) == 1+idLen:
			pc.key = e.Value
		case e.Key[0] == pRevision && len(e.Key) == 1+idLen+4:
			pc.revs = append(pc.revs, e)
		case e.Key[0] == pEvidence && len(e.Key) == 1+2*idLen && syncfmt.ValidName(e.Blob):
			pc.evidence = append(pc.evidence, e)
		case e.Key[0] == store.PTomb && len(e.Key) == 1+idLen:
			pc.tomb = e.Value
		default:
			return &CorruptError{What: "pack " + name, Err: fmt.Errorf("a record of kind %q is not carried by sync", e.Key[0])}
		}
	}
	for len(order) > 0 {
		n := min(len(order), casesPerCommit)
		part := order[:n]
		order = order[n:]
		last := len(order) == 0
		var counts SyncReport
		err := v.commit(func(c *change) error {
			counts = SyncReport{}
			for _, id := range part {
				if err := c.applyCase(r, byCase[id], &counts); err != nil {
					return err
				}
			}
			if last && record {
				if err := c.putJSON(syncObjKey(r, name), v.keys.sys, packObject("down", name, sum, size, es, v.now())); err != nil {
					return err
				}
				c.auditHash(OpSyncPull, []string{r.Name, name}, sum)
			}
			if len(c.entries) == 0 {
				c.auditHash(OpSyncPull, []string{r.Name, name}, sum)
			}
			return nil
		})
		if err != nil {
			return err
		}
		rep.CasesDown += counts.CasesDown
		rep.EvidenceDown += counts.EvidenceDown
		rep.Conflicts = append(rep.Conflicts, counts.Conflicts...)
		rep.Skipped = append(rep.Skipped, counts.Skipped...)
		rep.Removed = append(rep.Removed, counts.Removed...)
		rep.Discarded = append(rep.Discarded, counts.Discarded...)
		rep.Held = append(rep.Held, counts.Held...)
	}
	return nil
}

// applyCase applies one case's records from a pack: a revision that
// follows this copy's current one (its parent is our head) becomes the new
// head; one that does not (both copies changed the case) is kept beside
// ours as a conflict, never written over ours.
func (c *change) applyCase(r *Remote, pc *pulledCase, rep *SyncReport) error {
	v := c.v
	id := pc.id
	ck := caseKeyKey(id)
	if done, err := c.applyTomb(r, pc, rep); done || err != nil {
		return err
	}
	_, err := c.txn.Get(ck)
	isNew := errors.Is(err, store.ErrKeyNotFound)
	if err != nil && !isNew {
		return err
	}
	if isNew {
		if pc.key == nil {
			// Changes to a case removed here ('case rm' is not synced):
			// not applied; the other copies keep the case.
			rep.Skipped = append(rep.Skipped, id.String())
			return nil
		}
		dk, err := crypto.UnwrapKey(v.keys.caseKEK, pc.key, recordAD(ck))
		if err != nil {
			return &CorruptError{What: describeKey(ck) + " in a pack", Err: err}
		}
		crypto.Wipe(dk[:])
		if err := c.txn.Set(ck, pc.key); err != nil {
			return err
		}
	}
	dk, err := v.caseKey(c.txn, id)
	if err != nil {
		return err
	}
	head, err := revisionCount(c.txn, id)
	if err != nil {
		return err
	}
	var oldRev *Revision
	if head > 0 {
		if oldRev, err = v.latestRevision(c.txn, id, dk); err != nil {
			return err
		}
	}
	sort.Slice(pc.revs, func(i, j int) bool {
		return binary.BigEndian.Uint32(pc.revs[i].Key[1+idLen:]) < binary.BigEndian.Uint32(pc.revs[j].Key[1+idLen:])
	})
	var newHead *Revision
	diverged := false
	st := syncCaseState{}
	if err := v.getJSON(c.txn, syncCaseKey(id, r), v.keys.sys, &st); err != nil && !errors.Is(err, errNoRecord) {
		return err
	}
	for _, e := range pc.revs {
		n := binary.BigEndian.Uint32(e.Key[1+idLen:])
		rev, err := decodeRevisionValue(e.Key, e.Value, id, dk)
		if err != nil {
			return err
		}
		if !diverged && n <= head {
			local, err := c.revisionAt(id, n, dk)
			if err != nil {
				return err
			}
			if local.SHA256 == rev.SHA256 {
				st.Rev = max(st.Rev, n) // this copy has it; so has the remote
				continue
			}
			diverged = true
		}
		if !diverged && n == head+1 {
			ok := n == 1 && len(e.Parent) == 0
			if n > 1 {
				prev, err := c.revisionAt(id, n-1, dk)
				if err != nil {
					return err
				}
				ok = hex.EncodeToString(e.Parent) == prev.SHA256
			}
			if ok {
				if err := c.txn.Set(e.Key, e.Value); err != nil {
					return err
				}
				head, newHead = n, rev
				st.Rev = max(st.Rev, n)
				continue
			}
		}
		diverged = true
		added, err := c.keepConflict(id, rev, e.Parent, dk, head)
		if err != nil {
			return err
		}
		if added {
			rep.Conflicts = append(rep.Conflicts, id.String())
		}
	}
	if newHead != nil {
		doc, err := newHead.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		toks, err := v.caseTokens(c.txn, id, doc, newHead, dk)
		if err != nil {
			return err
		}
		if oldRev != nil {
			old, err := oldRev.Case()
			if err != nil {
				return &CorruptError{What: "revision of case " + id.String(), Err: err}
			}
			ot, err := v.caseTokens(c.txn, id, old, oldRev, dk)
			if err != nil {
				return err
			}
			err = c.indexCase(id, ot, toks, doc, newHead)
			if err != nil {
				return err
			}
		} else if err := c.indexCase(id, nil, toks, doc, newHead); err != nil {
			return err
		}
		c.auditHash(OpSyncPull, []string{id.String()}, mustHex(newHead.SHA256))
		rep.CasesDown++
	}
	added := map[string]bool{}
	for _, e := range pc.evidence {
		var eid EvidenceID
		copy(eid[:], e.Key[1+idLen:])
		if _, err := c.txn.Get(e.Key); err == nil {
			if st.Evidence == nil {
				st.Evidence = map[string]string{}
			}
			if _, ok := st.Evidence[eid.String()]; !ok {
				st.Evidence[eid.String()] = e.Blob // this copy has it; so has the remote
			}
			continue
		} else if !errors.Is(err, store.ErrKeyNotFound) {
			return err
		}
		var rec evidenceRecord
		if err := openJSON(e.Key, dk, e.Value, &rec); err != nil {
			return err
		}
		if err := checkEvidenceRecord(&rec, e.Key); err != nil {
			return err
		}
		if err := c.txn.Set(e.Key, e.Value); err != nil {
			return err
		}
		if err := c.put(evidenceIndexKey(eid), v.keys.index, id[:]); err != nil {
			return err
		}
		if err := c.putJSON(offloadKey(eid), v.keys.sys, v.newStub(r.ID, e.Blob, e.Size, time.Time{})); err != nil {
			return err
		}
		if err := c.putJSON(syncObjKey(r, e.Blob), v.keys.sys, syncObject{Kind: "blob", Dir: "down", Size: e.Size, At: v.now()}); err != nil {
			return err
		}
		if st.Evidence == nil {
			st.Evidence = map[string]string{}
		}
		st.Evidence[rec.ID] = e.Blob
		added[rec.ID] = true
		c.auditHash(OpEvidenceSync, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		rep.EvidenceDown++
	}
	if len(added) > 0 {
		// The case's postings hold its evidence names.
		if err := c.reindexEvidence(id, dk, func(now []EvidenceMeta) []EvidenceMeta {
			var before []EvidenceMeta
			for _, m := range now {
				if !added[m.ID] {
					before = append(before, m)
				}
			}
			return before
		}); err != nil {
			return err
		}
	}
	return c.putJSON(syncCaseKey(id, r), v.keys.sys, st)
}

func (c *change) revisionAt(id CaseID, n uint32, dk crypto.Key) (*Revision, error) {
	item, err := c.txn.Get(revisionKey(id, n))
	if err != nil {
		if errors.Is(err, store.ErrKeyNotFound) {
			return nil, &CorruptError{What: describeKey(revisionKey(id, n)), Err: errors.New("revision missing")}
		}
		return nil, err
	}
	return c.v.decodeRevision(item, id, dk)
}
