package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// offloadStub is a POffload record: an evidence item whose file is kept
// only in an object store (offloaded from here, or received by sync).
type offloadStub struct {
	Remote []byte    `json:"remote"` // the remote's ID
	Object string    `json:"object"` // blob object name
	Size   int64     `json:"size"`   // of the object
	At     time.Time `json:"at,omitempty"`
	// BlobKey and SyncID are the key and sync ID the object is sealed
	// under (the stub itself is sealed under the master key): a rekey
	// carries them over, as the object keeps its seal. Stubs of the
	// previous version have none until a rekey records the old keys.
	BlobKey []byte `json:"blob_key,omitempty"`
	SyncID  []byte `json:"sync_id,omitempty"`
}

func offloadKey(e EvidenceID) []byte { return key(store.POffload, e[:]) }

func openBlobFile(path string) (*os.File, error) { return evidence.OpenBlob(path) }

// OffloadResult is one evidence item offloaded.
type OffloadResult struct {
	Evidence string `json:"evidence"`
	Case     string `json:"case"`
	Size     int64  `json:"size"`
	Object   string `json:"object"`
	Already  bool   `json:"already_offloaded,omitempty"`
}

// OffloadEvidence keeps evidence items only in a remote: each file is
// uploaded (sealed again as a blob object at a random name) and verified by
// hash, a sealed stub recording where it is is committed with the audit
// entry, and only then is the local file removed (unlinked; a link in its
// place is removed, never followed). With olderThan > 0 and no ids, every
// item added before now − olderThan is offloaded.
func (v *Vault) OffloadEvidence(ctx context.Context, remote string, ids []EvidenceID, olderThan time.Duration) ([]OffloadResult, error) {
	r, err := v.Remote(remote)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 && olderThan > 0 {
		cut := v.now().Add(-olderThan)
		err := v.view(func(txn *store.Txn) error {
			return eachKey(txn, []byte{pCaseKey}, false, func(k []byte, _ *store.Item) error {
				var id CaseID
				copy(id[:], k[1:])
				dk, err := v.caseKey(txn, id)
				if err != nil {
					return err
				}
				recs, err := v.caseEvidence(txn, id, dk)
				if err != nil {
					return err
				}
				for _, rec := range recs {
					if rec.Added.Before(cut) {
						ids = append(ids, rec.EvidenceID())
					}
				}
				return nil
			})
		})
		if err != nil {
			return nil, err
		}
	}
	s, err := openObjStore(r)
	if err != nil {
		return nil, err
	}
	if err := s.ensureBucket(ctx); err != nil {
		return nil, err
	}
	keys := v.syncKeys()
	var out []OffloadResult
	for _, e := range ids {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var rec *evidenceRecord
		var stub offloadStub
		stubbed := false
		err := v.view(func(txn *store.Txn) error {
			var err error
			if rec, err = v.evidenceRecordOf(txn, e); err != nil {
				return err
			}
			err = v.getJSON(txn, offloadKey(e), v.keys.sys, &stub)
			stubbed = err == nil
			if errors.Is(err, errNoRecord) {
				err = nil
			}
			return err
		})
		if err != nil {
			return out, err
		}
		if stubbed {
			out = append(out, OffloadResult{Evidence: rec.ID, Case: rec.Case, Size: rec.Size, Object: stub.Object, Already: true})
			continue
		}
		name, size, err := v.uploadBlob(ctx, s, keys, rec)
		if err != nil {
			return out, err
		}
		path := v.blobPath(rec.Blob)
		err = v.commit(func(c *change) error {
			if err := c.putJSON(offloadKey(e), v.keys.sys, v.newStub(r.ID, name, size, v.now())); err != nil {
				return err
			}
			if err := c.putJSON(syncObjKey(r, name), v.keys.sys, syncObject{Kind: "blob", Dir: "up", Size: size, At: v.now()}); err != nil {
				return err
			}
			c.auditHash(OpEvidenceOffload, []string{rec.ID, rec.Case}, mustHex(rec.SHA256))
			c.onCommit(func() { os.Remove(path) })
			return nil
		})
		if err != nil {
			return out, err
		}
		out = append(out, OffloadResult{Evidence: rec.ID, Case: rec.Case, Size: rec.Size, Object: name})
	}
	return out, nil
}

// Offloaded reports whether an evidence item's file is kept only in an
// object store, and which remote.
func (v *Vault) Offloaded(e EvidenceID) (string, bool, error) {
	var stub offloadStub
	var name string
	found := false
	err := v.view(func(txn *store.Txn) error {
		err := v.getJSON(txn, offloadKey(e), v.keys.sys, &stub)
		if errors.Is(err, errNoRecord) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		rs, err := v.remotes(txn)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if bytes.Equal(r.ID, stub.Remote) {
				name = r.Name
			}
		}
		return nil
	})
	return name, found, err
}

// streamOffloaded streams an offloaded item from its remote, verifying the
// blob object's seal (bound to its name and this vault) and then the
// evidence stream, its size and SHA-256, as a local read does; done is
// false when the item's file is local.
func (v *Vault) streamOffloaded(rec *evidenceRecord, w interface{ Write([]byte) (int, error) }) (done bool, err error) {
	var stub offloadStub
	var r *Remote
	err = v.view(func(txn *store.Txn) error {
		err := v.getJSON(txn, offloadKey(rec.EvidenceID()), v.keys.sys, &stub)
		if err != nil {
			return err
		}
		rs, err := v.remotes(txn)
		if err != nil {
			return err
		}
		for i := range rs {
			if bytes.Equal(rs[i].ID, stub.Remote) {
				r = &rs[i]
			}
		}
		return nil
	})
	if errors.Is(err, errNoRecord) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if r == nil {
		return true, &EvidenceDamagedError{Evidence: rec.ID, Err: errors.New("its file is kept on a remote this vault no longer knows")}
	}
	s, err := openObjStore(r)
	if err != nil {
		return true, err
	}
	rc, size, err := s.getStream(context.Background(), "", stub.Object)
	if err != nil {
		return true, err
	}
	defer rc.Close()
	if size != stub.Size {
		return true, &EvidenceDamagedError{Evidence: rec.ID, Err: fmt.Errorf("its object %s holds %d bytes, %d expected: %w", stub.Object, size, stub.Size, syncfmt.ErrDamaged)}
	}
	bk, err := v.stubKeys(&stub)
	if err != nil {
		return true, &EvidenceDamagedError{Evidence: rec.ID, Err: err}
	}
	br, err := bk.BlobReader(rc, stub.Object)
	if err != nil {
		return true, &EvidenceDamagedError{Evidence: rec.ID, Err: err}
	}
	// The blob holds the evidence file, then its padding (none in blobs
	// of the previous version), checked to the authenticated end.
	n := crypto.StreamSize(rec.Size)
	if err := evidence.StreamFrom(io.LimitReader(br, n), rec, w); err != nil {
		return true, err
	}
	if err := syncfmt.CheckBlobPadding(br, stub.Object, n); err != nil {
		return true, &EvidenceDamagedError{Evidence: rec.ID, Err: err}
	}
	return true, nil
}
