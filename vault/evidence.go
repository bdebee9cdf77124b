package vault

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/store"
)

// EvidenceInput is what the user says about an evidence file when adding
// it. Name is the original file name (base name only is kept).
type EvidenceInput struct {
	Name        string
	Note        string
	CollectedBy string
	CollectedAt string
	Source      string
}

// EvidenceInUseError reports an evidence item still referred to by the
// current revision of its case.
type EvidenceInUseError struct{ Evidence, Case string }

func (e *EvidenceInUseError) Error() string {
	return fmt.Sprintf("evidence %s is referred to by mistreatment[].evidence in the current revision of case %s", e.Evidence, e.Case)
}

// A blobRef names a sealed blob file written by writeBlob that is not yet
// (or no longer) registered in the store.
type blobRef struct {
	evid EvidenceID
	evidence.Blob
}

func (v *Vault) blobDir() string             { return filepath.Join(v.dir, blobDir) }
func (v *Vault) blobPath(name string) string { return filepath.Join(v.dir, blobDir, name) }

// writeBlob streams r into a new sealed blob file for evidence evid: the
// plaintext is hashed and sniffed while it is read (on one goroutine) and
// sealed and written (on another) to a temporary file in blobs/, which is
// synced and linked to a random final name. Nothing is registered in the
// store: the caller registers the blob with change.putEvidence in a
// transaction, or removes it with discardBlob. A blob left behind by a
// crash is an orphan that 'check --repair' removes.
func (v *Vault) writeBlob(evid EvidenceID, r io.Reader) (*blobRef, error) {
	b, err := evidence.Write(v.blobDir(), evid[:], r)
	if err != nil {
		return nil, err
	}
	return &blobRef{evid: evid, Blob: *b}, nil
}

// discardBlob removes a blob whose transaction failed or was never run.
func (v *Vault) discardBlob(ref *blobRef) {
	if ref != nil {
		_ = os.Remove(v.blobPath(ref.Name))
	}
}

// putEvidence registers a blob written by writeBlob as evidence of case id
// inside the change: the metadata record, the evidence index entry and an
// audit entry with op (such as "evidence.add"), targets [evidence, case]
// and the file's SHA-256. meta supplies the name, note and custody fields;
// Added and AddedBy default to now and the author. If the change fails the
// caller removes the blob with discardBlob.
func (c *change) putEvidence(id CaseID, meta EvidenceMeta, ref *blobRef, op Op) (*EvidenceMeta, error) {
	dk, err := c.v.caseKey(c.txn, id)
	if err != nil {
		return nil, err
	}
	if _, err := c.txn.Get(evidenceIndexKey(ref.evid)); err == nil {
		return nil, fmt.Errorf("evidence %s already exists", ref.evid)
	} else if !errors.Is(err, store.ErrKeyNotFound) {
		return nil, err
	}
	meta.ID = ref.evid.String()
	meta.Case = id.String()
	meta.MediaType = ref.MediaType
	meta.Size = ref.Size
	meta.SHA256 = hex.EncodeToString(ref.SHA256)
	if meta.Added.IsZero() {
		meta.Added = c.v.now()
	}
	if meta.AddedBy == "" {
		meta.AddedBy = c.v.author()
	}
	if err := checkEvidenceText(&meta); err != nil {
		return nil, err
	}
	rec := evidenceRecord{EvidenceMeta: meta, Blob: ref.Name, FileKey: ref.Key[:]}
	if err := c.putJSON(evidenceKey(id, ref.evid), dk, rec); err != nil {
		return nil, err
	}
	if err := c.put(evidenceIndexKey(ref.evid), c.v.keys.index, id[:]); err != nil {
		return nil, err
	}
	// Its name, note and custody fields are searched as the case's.
	err = c.reindexEvidence(id, dk, func(now []evidence.Meta) []evidence.Meta {
		return slices.DeleteFunc(slices.Clone(now), func(m evidence.Meta) bool { return m.ID == meta.ID })
	})
	if err != nil {
		return nil, err
	}
	c.auditHash(op, []string{ref.evid.String(), id.String()}, ref.SHA256)
	return &meta, nil
}

func checkEvidenceText(m *EvidenceMeta) error { return evidence.CheckText(m) }

// AddEvidence stores the file read from r as evidence of case c. The file
// is hashed (SHA-256), its media type sniffed and its content sealed while
// it streams in; metadata becomes visible only once the whole file is
// stored. in.Name is the original file name.
func (v *Vault) AddEvidence(ctx context.Context, c CaseID, r io.Reader, in EvidenceInput) (*EvidenceMeta, error) {
	// Refuse an unknown case before reading anything.
	if err := v.view(func(txn *store.Txn) error { _, err := v.caseKey(txn, c); return err }); err != nil {
		return nil, err
	}
	meta := EvidenceMeta{Name: in.Name, Note: in.Note, CollectedBy: in.CollectedBy, CollectedAt: in.CollectedAt, Source: in.Source}
	if err := checkEvidenceText(&meta); err != nil {
		return nil, err
	}
	evid := NewEvidenceID()
	ref, err := v.writeBlob(evid, ctxReader{ctx, r})
	if err != nil {
		return nil, err
	}
	var out *EvidenceMeta
	err = v.commit(func(ch *change) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		out, err = ch.putEvidence(c, meta, ref, OpEvidenceAdd)
		return err
	})
	if err != nil {
		v.discardBlob(ref)
		return nil, err
	}
	return out, nil
}

// evidenceCase looks up the case owning an evidence item in the index.
func (v *Vault) evidenceCase(txn *store.Txn, e EvidenceID) (CaseID, error) {
	var id CaseID
	b, err := v.get(txn, evidenceIndexKey(e), v.keys.index)
	if errors.Is(err, errNoRecord) {
		return id, &NotFoundError{Kind: NotFoundEvidence, ID: e.String()}
	}
	if err != nil {
		return id, err
	}
	if len(b) != idLen {
		return id, &CorruptError{What: describeKey(evidenceIndexKey(e)), Err: errors.New("malformed case ID")}
	}
	copy(id[:], b)
	return id, nil
}

// evidenceRecordOf reads the stored record of an evidence item.
func (v *Vault) evidenceRecordOf(txn *store.Txn, e EvidenceID) (*evidenceRecord, error) {
	id, err := v.evidenceCase(txn, e)
	if err != nil {
		return nil, err
	}
	dk, err := v.caseKey(txn, id)
	if err != nil {
		return nil, err
	}
	var rec evidenceRecord
	if err := v.getJSON(txn, evidenceKey(id, e), dk, &rec); err != nil {
		if errors.Is(err, errNoRecord) {
			return nil, &NotFoundError{Kind: NotFoundEvidence, ID: e.String()}
		}
		return nil, err
	}
	if err := checkEvidenceRecord(&rec, evidenceKey(id, e)); err != nil {
		return nil, err
	}
	return &rec, nil
}

// checkEvidenceRecord requires a decoded record to describe the item at
// its store key.
func checkEvidenceRecord(r *evidenceRecord, k []byte) error {
	var c CaseID
	var e EvidenceID
	copy(c[:], k[1:1+idLen])
	copy(e[:], k[1+idLen:])
	if err := r.Check(c.String(), e.String()); err != nil {
		return &CorruptError{What: describeKey(k), Err: err}
	}
	return nil
}

// Evidence returns the metadata of an evidence item.
func (v *Vault) Evidence(e EvidenceID) (*EvidenceMeta, error) {
	var m *EvidenceMeta
	err := v.view(func(txn *store.Txn) error {
		rec, err := v.evidenceRecordOf(txn, e)
		if err != nil {
			return err
		}
		m = &rec.EvidenceMeta
		return nil
	})
	return m, err
}

// EvidenceList returns the metadata of every evidence item of a case,
// oldest first.
func (v *Vault) EvidenceList(c CaseID) ([]EvidenceMeta, error) {
	var out []EvidenceMeta
	err := v.view(func(txn *store.Txn) error {
		dk, err := v.caseKey(txn, c)
		if err != nil {
			return err
		}
		recs, err := v.caseEvidence(txn, c, dk)
		if err != nil {
			return err
		}
		for _, r := range recs {
			out = append(out, r.EvidenceMeta)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b EvidenceMeta) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// caseEvidence decodes the evidence records of a case.
func (v *Vault) caseEvidence(txn *store.Txn, c CaseID, dk crypto.Key) ([]*evidenceRecord, error) {
	it := txn.NewIterator(store.IteratorOptions{Prefix: evidencePrefix(c), PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	var out []*evidenceRecord
	for it.Rewind(); it.Valid(); it.Next() {
		rec, err := v.decodeEvidence(it.Item(), dk)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func (v *Vault) decodeEvidence(item *store.Item, dk crypto.Key) (*evidenceRecord, error) {
	var rec evidenceRecord
	k, err := itemJSON(item, dk, &rec)
	if err != nil {
		return nil, err
	}
	if err := checkEvidenceRecord(&rec, k); err != nil {
		return nil, err
	}
	return &rec, nil
}

// ReadEvidence writes the content of an evidence item to w, verifying it as
// it streams: every chunk is authenticated before it is written, and the
// SHA-256 and size are compared at the end. On a failure some verified
// plaintext may already have been written to w; the error is then an
// *EvidenceDamagedError. The read is recorded in the audit log ("evidence.get")
// before any byte is written.
func (v *Vault) ReadEvidence(ctx context.Context, e EvidenceID, w io.Writer) (*EvidenceMeta, error) {
	var rec *evidenceRecord
	err := v.commit(func(c *change) error {
		var err error
		rec, err = c.v.evidenceRecordOf(c.txn, e)
		if err != nil {
			return err
		}
		c.auditHash(OpEvidenceGet, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := v.streamBlob(rec, ctxWriter{ctx, w}); err != nil {
		return &rec.EvidenceMeta, err
	}
	return &rec.EvidenceMeta, nil
}

// VerifyEvidence re-reads and re-hashes an evidence item. It returns nil if
// it is intact and an *EvidenceDamagedError if not; the result is recorded
// in the audit log ("evidence.verify", or "evidence.verify-failed").
func (v *Vault) VerifyEvidence(ctx context.Context, e EvidenceID) error {
	var rec *evidenceRecord
	err := v.view(func(txn *store.Txn) error {
		var err error
		rec, err = v.evidenceRecordOf(txn, e)
		return err
	})
	if err != nil {
		return err
	}
	verr := v.streamBlob(rec, ctxWriter{ctx, io.Discard})
	if err := ctx.Err(); err != nil {
		return err // stopped: neither verified nor failed, nothing recorded
	}
	op := OpEvidenceVerify
	if verr != nil {
		op = OpEvidenceVerifyFailed
	}
	err = v.commit(func(c *change) error {
		c.auditHash(op, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		return nil
	})
	if verr != nil {
		return verr
	}
	return err
}

// streamBlob opens, authenticates and hashes the blob of rec, writing its
// plaintext to w. Reading and decrypting run on one goroutine, hashing and
// writing on another.
func (v *Vault) streamBlob(rec *evidenceRecord, w io.Writer) error {
	if done, err := v.streamOffloaded(rec, w); done {
		return err
	}
	return evidence.Stream(v.blobDir(), rec, w)
}

// RemoveEvidence deletes an evidence item: its record, its index entry and,
// once that has committed, its file. Evidence still referred to by the
// current revision of its case is refused with *EvidenceInUseError.
func (v *Vault) RemoveEvidence(e EvidenceID) error {
	return v.commit(func(c *change) error {
		rec, err := c.v.evidenceRecordOf(c.txn, e)
		if err != nil {
			return err
		}
		cid, _ := ParseCaseID(rec.Case)
		dk, err := c.v.caseKey(c.txn, cid)
		if err != nil {
			return err
		}
		cur, err := c.v.latestRevision(c.txn, cid, dk)
		if err != nil {
			return err
		}
		doc, err := cur.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + cid.String(), Err: err}
		}
		if slices.Contains(doc.EvidenceRefs(), rec.ID) {
			return &EvidenceInUseError{Evidence: rec.ID, Case: rec.Case}
		}
		if err := c.del(evidenceKey(cid, e)); err != nil {
			return err
		}
		if err := c.del(evidenceIndexKey(e)); err != nil {
			return err
		}
		if err := c.del(offloadKey(e)); err != nil {
			return err
		}
		err = c.reindexEvidence(cid, dk, func(now []evidence.Meta) []evidence.Meta {
			return append(slices.Clone(now), rec.EvidenceMeta)
		})
		if err != nil {
			return err
		}
		c.auditHash(OpEvidenceRm, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
		blob := v.blobPath(rec.Blob)
		c.onCommit(func() { _ = os.Remove(blob) })
		return nil
	})
}

// removeCaseEvidence deletes the evidence records of a case and their index
// entries, and once the change has committed, their files. A record that
// does not open is deleted all the same; its file is then an orphan that
// 'check --repair' removes.
func (c *change) removeCaseEvidence(id CaseID, dk crypto.Key) error {
	pfx := evidencePrefix(id)
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: true, PrefetchSize: 64})
	var keys [][]byte
	var blobs []string
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
		if rec, err := c.v.decodeEvidence(it.Item(), dk); err == nil && !c.keepBlobs[rec.Blob] {
			blobs = append(blobs, c.v.blobPath(rec.Blob))
		}
	}
	it.Close()
	for _, k := range keys {
		var e EvidenceID
		copy(e[:], k[len(pfx):])
		if err := c.del(evidenceIndexKey(e)); err != nil {
			return err
		}
		if err := c.del(offloadKey(e)); err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
	}
	c.onCommit(func() {
		for _, b := range blobs {
			_ = os.Remove(b)
		}
	})
	return nil
}
