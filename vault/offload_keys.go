package vault

import (
	"errors"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// errNoBlobKey is an offloaded item whose stub (of the previous version)
// records no key for its object in a vault re-keyed since: the object was
// sealed under a sync key this vault may no longer have.
var errNoBlobKey = errors.New("its file is kept on a remote, but its stub records no key for the object and the vault was re-keyed since: the object may no longer open")

// newStub is the stub of an object sealed under the vault's current sync
// keys, recording them.
func (v *Vault) newStub(remote []byte, object string, size int64, at time.Time) offloadStub {
	bk, id := v.syncKeys().BlobKey()
	return offloadStub{Remote: remote, Object: object, Size: size, At: at, BlobKey: bk[:], SyncID: id}
}

// stubKeys returns the keys the stub's object is sealed under: those it
// records, or (a stub of the previous version) the vault's current ones:
// right for every such stub written since the last rekey (the previous
// version's rekey lost the key of the ones before).
func (v *Vault) stubKeys(s *offloadStub) (syncfmt.Keys, error) {
	if len(s.BlobKey) == 0 {
		return v.syncKeys(), nil
	}
	if len(s.BlobKey) != crypto.KeySize || len(s.SyncID) != syncfmt.IDLen {
		return syncfmt.Keys{}, errors.New("its stub records a blob key or sync ID of the wrong length")
	}
	var k crypto.Key
	copy(k[:], s.BlobKey)
	return syncfmt.BlobKeys(k, s.SyncID), nil
}

// rekeyedSinceStubs reports whether the vault's store is not its first
// (a rekey, staff removal, purge or rotation made a new one): a stub
// without a recorded key (of the previous version) then may have lost its
// object's key. Stores of binding version 1 count as first.
func (v *Vault) rekeyedSinceStubs() bool { return v.binding.Generation > 1 }

// rekeyStub re-seals an offload stub for nv's store, recording the blob key
// of a stub that has none (v's keys, the ones its object is sealed under).
func (v *Vault) rekeyStub(k, sealed []byte, nv *Vault, wb *batchWriter) error {
	var s offloadStub
	if err := openJSON(k, v.keys.sys, sealed, &s); err != nil {
		return err
	}
	if len(s.BlobKey) == 0 {
		bk, id := v.syncKeys().BlobKey()
		s.BlobKey, s.SyncID = bk[:], id
	}
	b, err := marshalJSON(s)
	if err != nil {
		return err
	}
	err = wb.set(k, crypto.Seal(nv.keys.sys, b, recordAD(k)))
	crypto.Wipe(b)
	return err
}

// checkStubKey checks that the stub of an offloaded item records the key
// its object is sealed under: a stub of the previous version in a vault
// re-keyed since may name an object no key of this vault opens.
func (v *Vault) checkStubKey(rec *evidenceRecord) error {
	var s offloadStub
	if err := v.view(func(txn *store.Txn) error {
		return v.getJSON(txn, offloadKey(rec.EvidenceID()), v.keys.sys, &s)
	}); err != nil {
		return err
	}
	if len(s.BlobKey) == 0 && v.rekeyedSinceStubs() {
		return &EvidenceDamagedError{Evidence: rec.ID, Err: errNoBlobKey}
	}
	if _, err := v.stubKeys(&s); err != nil {
		return &EvidenceDamagedError{Evidence: rec.ID, Err: err}
	}
	return nil
}
