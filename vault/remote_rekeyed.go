package vault

import (
	"fmt"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
)

// ErrRemoteRekeyed is returned by sync for a remote added before the
// vault's master key changed: the objects under its prefix, and those the
// other copies still write there, are sealed under the old sync key, so
// syncing there would refuse them all as planted (and the other copies
// this copy's).
var ErrRemoteRekeyed = errs.New(errs.ErrInvalid, "this vault was re-keyed after the remote was added: the objects under its prefix are sealed under the old key; add the remote again under a new prefix and make the other copies anew from a backup of this one")

// RemoteRekeyedError is ErrRemoteRekeyed for one remote.
type RemoteRekeyedError struct {
	Remote string
	At     time.Time
}

func (e *RemoteRekeyedError) Error() string {
	return fmt.Sprintf("remote %q (re-keyed %s): %v", e.Remote, e.At.UTC().Format("2006-01-02 15:04"), ErrRemoteRekeyed)
}

func (e *RemoteRekeyedError) Unwrap() error { return ErrRemoteRekeyed }

// checkNotRekeyed refuses a remote marked by a rekey.
func (r *Remote) checkNotRekeyed() error {
	if r.Rekeyed.IsZero() {
		return nil
	}
	return &RemoteRekeyedError{Remote: r.Name, At: r.Rekeyed}
}

// rekeyRemote re-seals a remote for nv's store, marked as re-keyed (the
// first time only: the date of the first rekey since it was added).
func (v *Vault) rekeyRemote(k, sealed []byte, nv *Vault, wb *batchWriter) error {
	var r Remote
	if err := openJSON(k, v.keys.sys, sealed, &r); err != nil {
		return err
	}
	if r.Rekeyed.IsZero() {
		r.Rekeyed = v.now()
	}
	b, err := marshalJSON(r)
	if err != nil {
		return err
	}
	err = wb.set(k, crypto.Seal(nv.keys.sys, b, recordAD(k)))
	crypto.Wipe(b)
	return err
}
