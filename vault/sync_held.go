package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/store"
)

// Held-back work. When sync applies another copy's removal ('case rm') of
// a case for which this copy holds work the removing copy never saw
// (revisions after the one it removed, evidence added since), the case is
// removed here too (the removal wins), but that work is not deleted: a
// sealed record (kind H, under the sys key) keeps the case's last document
// here and the records of the unseen evidence, whose files stay on disk.
// It is no case: lists, search, stats, export, publish and sync never see
// it. RestoreHeld makes a new case of it (the removal still stands),
// DropHeld deletes it, and a purge of the removed case drops it with the
// rest. A removal by purge holds nothing back: a purge must leave nothing.

// heldRecord is the sealed value of a held-back work record.
type heldRecord struct {
	Case     string           `json:"case"`
	Removed  time.Time        `json:"removed"` // when the other copy removed the case
	Held     time.Time        `json:"held"`    // when this copy applied the removal
	Items    []string         `json:"items"`   // "revision N", "evidence ID"
	Doc      json.RawMessage  `json:"doc"`     // the case's last revision here
	Evidence []evidenceRecord `json:"evidence,omitempty"`
}

// HeldWork describes the work a removal from another copy held back here.
type HeldWork struct {
	Case     string         `json:"case"`    // the removed case
	Removed  time.Time      `json:"removed"` // when the other copy removed it
	Held     time.Time      `json:"held"`    // when this copy applied the removal
	Items    []string       `json:"items"`   // "revision N" and "evidence ID" the removing copy did not have
	Evidence []EvidenceMeta `json:"evidence,omitempty"`
}

func heldKey(id CaseID) []byte { return key(store.PHeld, id[:]) }

// holdBack keeps what a removal from another copy (tombstone t) would
// delete here that the removing copy did not have (lost, from
// unseenByRemoval): it writes the held record and tells removeCase to
// leave the evidence files on disk. It returns the items held back and
// those still discarded (evidence kept only in the object store, whose
// object the removal deletes; everything when the removal is a purge).
func (c *change) holdBack(id CaseID, t *tombstone, lost []string) (held, discarded []string, err error) {
	if len(lost) == 0 {
		return nil, nil, nil
	}
	if t.Op != "rm" {
		return nil, lost, nil
	}
	v := c.v
	dk, err := v.caseKey(c.txn, id)
	if err != nil {
		return nil, nil, err
	}
	cur, err := v.latestRevision(c.txn, id, dk)
	if errors.Is(err, errRecordTooLarge) || errors.Is(err, schema.ErrTooLarge) {
		return nil, lost, nil // too large for this version to read: not kept
	}
	if err != nil {
		return nil, nil, err
	}
	rec := heldRecord{Case: id.String(), Removed: t.At, Held: v.now(), Doc: cur.Doc}
	for _, l := range lost {
		if es, ok := strings.CutPrefix(l, "evidence "); ok {
			e, err := ParseEvidenceID(es)
			if err != nil {
				return nil, nil, err
			}
			if _, err := c.txn.Get(offloadKey(e)); err == nil {
				discarded = append(discarded, l)
				continue
			} else if !errors.Is(err, store.ErrKeyNotFound) {
				return nil, nil, err
			}
			er, err := v.evidenceRecordOf(c.txn, e)
			if err != nil {
				return nil, nil, err
			}
			rec.Evidence = append(rec.Evidence, *er)
			if c.keepBlobs == nil {
				c.keepBlobs = map[string]bool{}
			}
			c.keepBlobs[er.Blob] = true
		}
		held = append(held, l)
		rec.Items = append(rec.Items, l)
	}
	if err := c.putJSON(heldKey(id), v.keys.sys, rec); err != nil {
		return nil, nil, err
	}
	for _, l := range held {
		c.audit(OpSyncHold, []string{id.String(), l}, nil)
	}
	return held, discarded, nil
}

// Held lists the work held back by removals from other copies, oldest
// removal first.
func (v *Vault) Held() ([]HeldWork, error) {
	var out []HeldWork
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{store.PHeld}, true, func(k []byte, item *store.Item) error {
			var rec heldRecord
			if _, err := itemJSON(item, v.keys.sys, &rec); err != nil {
				return err
			}
			h := HeldWork{Case: rec.Case, Removed: rec.Removed, Held: rec.Held, Items: rec.Items}
			for _, e := range rec.Evidence {
				h.Evidence = append(h.Evidence, e.EvidenceMeta)
			}
			out = append(out, h)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Removed.Before(out[j].Removed) })
	return out, err
}

func (v *Vault) heldOf(txn *store.Txn, id CaseID) (*heldRecord, error) {
	var rec heldRecord
	if err := v.getJSON(txn, heldKey(id), v.keys.sys, &rec); err != nil {
		if errors.Is(err, errNoRecord) {
			return nil, &NotFoundError{Kind: NotFoundHeld, ID: id.String()}
		}
		return nil, err
	}
	return &rec, nil
}

// RestoreHeld makes a new case of the work held back when case id was
// removed by another copy: the case's last document here, and each
// held-back evidence item (read, verified and added anew). The removal
// still stands: the new case has a new ID, and sync sends it as a new
// case. The held record and its files are deleted once the new case has
// all of it; if an evidence item fails, the new case is left as it is and
// the held work kept.
func (v *Vault) RestoreHeld(ctx context.Context, id CaseID) (CaseID, error) {
	var rec *heldRecord
	if err := v.view(func(txn *store.Txn) (err error) {
		rec, err = v.heldOf(txn, id)
		return err
	}); err != nil {
		return CaseID{}, err
	}
	doc, err := schema.FromStored(rec.Doc)
	if err != nil {
		return CaseID{}, &CorruptError{What: "held-back work of case " + id.String(), Err: err}
	}
	nid, err := v.AddCase(doc)
	if err != nil {
		return CaseID{}, err
	}
	for i := range rec.Evidence {
		e := &rec.Evidence[i]
		if err := e.Check(id.String(), e.ID); err != nil {
			return nid, &CorruptError{What: "held-back work of case " + id.String(), Err: err}
		}
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(evidence.Stream(v.blobDir(), e, pw)) }()
		_, err := v.AddEvidence(ctx, nid, pr, EvidenceInput{Name: e.Name, Note: e.Note, CollectedBy: e.CollectedBy, CollectedAt: e.CollectedAt, Source: e.Source})
		pr.CloseWithError(errors.New("stopped"))
		if err != nil {
			return nid, fmt.Errorf("held-back evidence %s of case %s: %w", e.ID, id, err)
		}
	}
	return nid, v.dropHeld(id, OpHeldRestore, []string{id.String(), nid.String()})
}

// DropHeld deletes, for good, the work held back when case id was removed
// by another copy: the record and its evidence files (shredded).
func (v *Vault) DropHeld(id CaseID) error {
	return v.dropHeld(id, OpHeldDrop, []string{id.String()})
}

func (v *Vault) dropHeld(id CaseID, op Op, targets []string) error {
	return v.commit(func(c *change) error {
		rec, err := v.heldOf(c.txn, id)
		if err != nil {
			return err
		}
		if err := c.del(heldKey(id)); err != nil {
			return err
		}
		c.audit(op, targets, nil)
		files := v.heldFiles(rec)
		c.onCommit(func() {
			for _, p := range files {
				_ = shredFile(p)
			}
		})
		return nil
	})
}

// heldFiles returns the paths of the evidence files a held record keeps.
func (v *Vault) heldFiles(rec *heldRecord) []string {
	var out []string
	for _, e := range rec.Evidence {
		if validBlobName(e.Blob) {
			out = append(out, v.blobPath(e.Blob))
		}
	}
	return out
}

// heldFilesOf returns the evidence files of case id's held-back work, if
// any (for purge, which shreds them).
func (v *Vault) heldFilesOf(txn *store.Txn, id CaseID) ([]string, error) {
	rec, err := v.heldOf(txn, id)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v.heldFiles(rec), nil
}

// heldBlobs adds the files of held-back work to the evidence files check
// expects, so that they are not reported (or repaired) as orphans.
func (ck *checker) heldBlobs() error {
	v := ck.v
	return v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{store.PHeld}, true, func(k []byte, item *store.Item) error {
			var rec heldRecord
			if _, err := itemJSON(item, v.keys.sys, &rec); err != nil {
				ck.unsure = true
				return nil
			}
			for _, e := range rec.Evidence {
				ck.blobs[e.Blob] = true
			}
			return nil
		})
	})
}
