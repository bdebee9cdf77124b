package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/casevault/casevault/crypto"
)

// masterNextFile holds, during an identity rotation, the new master key
// encrypted to the new identity. See RotateIdentity.
const masterNextFile = "master.age.next"

// A PreviousKey is an organisation key this vault used before an identity
// rotation. Audit entries up to LastSeq are signed with it.
type PreviousKey struct {
	Recipient string    `json:"recipient"`
	VerifyKey []byte    `json:"verify_key"`
	LastSeq   uint64    `json:"last_seq"`
	Rotated   time.Time `json:"rotated"`
}

// RotateOptions describe an identity rotation.
type RotateOptions struct {
	// Classic makes the new identity X25519; PostQuantum a hybrid one.
	// With neither, the new identity is of the same kind as the old one.
	Classic, PostQuantum bool
	// Identity adopts this age identity file instead of generating one.
	Identity []byte
	// Passphrase protects the new identity (identity.age).
	Passphrase []byte
}

// RotateResult describes a finished identity rotation.
type RotateResult struct {
	OldFingerprint, NewFingerprint string
	PostQuantum                    bool
	Stats                          *RekeyStats
}

// rotation is the state copyStoreAs needs for an identity rotation.
type rotation struct {
	id     *crypto.Identity
	meta   Meta
	sealed []byte // the new identity.age
}

// RotateIdentity replaces the organisation's identity: a new age identity
// (and with it a new Ed25519 signing key), a new master key and store with
// every record re-sealed (the rekey machinery), identity.age replaced under
// the new passphrase with the old file's blocks overwritten. An old copy of
// identity.age, with its passphrase, then opens nothing written after the
// rotation: not master.age, not the store, not bundles sent to the new
// recipient. The vault's card becomes a rotation card, signed by the old
// and the new key, that partners accept as an update of the organisation
// (see AddOrg). Audit entries up to the rotation stay signed by the old
// key, which Meta.PreviousKeys keeps for verification.
//
// Crash safety: master.age.next and the new store are written first; the
// commit point is the replacement of identity.age; master.age.next then
// replaces master.age. Open finishes a rotation stopped between the two.
func (v *Vault) RotateIdentity(o RotateOptions) (*RotateResult, error) {
	if err := v.needOwner("rotate-identity"); err != nil {
		return nil, err
	}
	if v.opts.ReadOnly {
		return nil, errReadOnly
	}
	if len(o.Passphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	var id *crypto.Identity
	var err error
	switch {
	case o.Identity != nil:
		id, err = crypto.ParseIdentity(o.Identity)
	case o.Classic && o.PostQuantum:
		return nil, errors.New("choose either a classic or a post-quantum identity")
	default:
		classic := !v.id.PostQuantum()
		if o.Classic || o.PostQuantum {
			classic = o.Classic
		}
		id, err = crypto.GenerateIdentity(classic)
	}
	if err != nil {
		return nil, fmt.Errorf("new identity: %w", err)
	}
	oldVK := v.id.VerifyKey()
	if bytes.Equal(id.VerifyKey(), oldVK) || id.RecipientString() == v.meta.Recipient {
		return nil, errors.New("the new identity is the current one")
	}
	sealed, err := sealIdentity(id, o.Passphrase)
	if err != nil {
		return nil, err
	}
	head, err := v.AuditHead()
	if err != nil {
		return nil, err
	}
	m := v.meta
	m.Recipient, m.VerifyKey = id.RecipientString(), id.VerifyKey()
	m.PreviousKeys = append(append([]PreviousKey(nil), v.meta.PreviousKeys...),
		PreviousKey{Recipient: v.meta.Recipient, VerifyKey: bytes.Clone(oldVK), LastSeq: head.Seq, Rotated: v.now()})
	fp := Fingerprint(m.Recipient, m.VerifyKey)
	signed := rotationCardSignedBytes(m.Org, m.Recipient, m.VerifyKey, fp, oldVK)
	m.RotationSig = v.id.Sign(signed) // the old key vouches for the new
	r := &rotation{id: id, meta: m, sealed: sealed}
	oldFP := Fingerprint(v.meta.Recipient, oldVK)
	st, err := v.copyStoreAs(context.Background(), nil, r, func(c *change) error {
		if err := c.putJSON(metaKey(), c.v.keys.sys, m); err != nil {
			return err
		}
		c.audit(OpRotateIdentity, nil, []byte(oldFP+"\n"+fp))
		return nil
	})
	if st == nil {
		return nil, err
	}
	return &RotateResult{OldFingerprint: oldFP, NewFingerprint: fp, PostQuantum: id.PostQuantum(), Stats: st}, err
}

// commitRotation is copyStoreAs's commit point for a rotation. err means
// nothing was committed; after reports a failure once committed (Open
// finishes the rotation).
func (v *Vault) commitRotation(nv *Vault, r *rotation) (after, err error) {
	if err := writeMasterTo(filepath.Join(v.dir, masterNextFile), r.id, nv.mk, nv.dbName); err != nil {
		_ = shredFile(filepath.Join(v.dir, masterNextFile))
		return nil, fmt.Errorf("rotate-identity: writing %s: %w", masterNextFile, err)
	}
	// The commit point.
	if err := replaceFileOverwriting(filepath.Join(v.dir, identityFile), r.sealed); err != nil {
		if cur, rerr := readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile); rerr != nil || !bytes.Equal(cur, r.sealed) {
			_ = shredFile(filepath.Join(v.dir, masterNextFile))
			return nil, fmt.Errorf("rotate-identity: replacing %s: %w", identityFile, err)
		}
		// Replaced, but overwriting the old file's blocks failed.
		after = fmt.Errorf("identity rotated, but overwriting the old %s failed: %w", identityFile, err)
	}
	if err := v.moveMasterNext(); err != nil && after == nil {
		after = fmt.Errorf("identity rotated, but replacing %s failed (the next command finishes it): %w", masterFile, err)
	}
	return after, nil
}

// moveMasterNext replaces master.age with master.age.next, overwriting the
// old file, and shreds master.age.next.
func (v *Vault) moveMasterNext() error {
	next := filepath.Join(v.dir, masterNextFile)
	b, err := readSmallFile(next, maxKeyFile)
	if err != nil {
		return err
	}
	if err := replaceFileOverwriting(filepath.Join(v.dir, masterFile), b); err != nil {
		return err
	}
	return shredFile(next)
}

// finishRotation returns the content of master.age.next decrypted with the
// unlocked identity: a rotation stopped after its commit point. Unless the
// vault is opened read-only it also moves master.age.next into place.
func (v *Vault) finishRotation() ([]byte, error) {
	ct, err := readSmallFile(filepath.Join(v.dir, masterNextFile), maxKeyFile)
	if err != nil {
		return nil, err
	}
	pt, err := crypto.DecryptWithIdentity(ct, v.id.AgeIdentity(), maxKeyFile)
	if err != nil {
		return nil, err
	}
	if !v.opts.ReadOnly && v.lock != nil {
		_ = v.moveMasterNext()
	}
	return pt, nil
}

// writeMasterTo writes a master key file (as master.age) at path.
func writeMasterTo(path string, id *crypto.Identity, mk crypto.Key, dbName string) error {
	payload, err := json.Marshal(masterPayload{Version: 1, MasterKey: mk[:], DB: dbName})
	if err != nil {
		return err
	}
	ct, err := crypto.EncryptToRecipients(payload, id.Recipient())
	crypto.Wipe(payload)
	if err != nil {
		return err
	}
	_ = shredFile(path)
	return writeFileAtomic(path, ct)
}

// verifyKeyForSeq returns the key that signed audit entry seq: the
// previous key whose period holds it, else the current one.
func (v *Vault) verifyKeyForSeq(seq uint64) ed25519.PublicKey {
	for _, p := range v.meta.PreviousKeys {
		if seq <= p.LastSeq {
			return p.VerifyKey
		}
	}
	return v.orgVerifyKey()
}

// ownVerifyKeys are this vault's verify keys, current first, then the
// previous ones from the most recent back.
func (v *Vault) ownVerifyKeys() []ed25519.PublicKey {
	out := []ed25519.PublicKey{v.orgVerifyKey()}
	for i := len(v.meta.PreviousKeys) - 1; i >= 0; i-- {
		out = append(out, v.meta.PreviousKeys[i].VerifyKey)
	}
	return out
}
