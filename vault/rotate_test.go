package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

const rotatedPass = "a new passphrase after the seizure 41"

// TestRotateIdentityOldCopyUseless is the coerced-passphrase attack: the
// attacker keeps a copy of identity.age and master.age and forces the
// passphrase out of someone. After rotate-identity neither opens anything
// added later.
func TestRotateIdentityOldCopyUseless(t *testing.T) {
	for _, classic := range []bool{true, false} {
		dir, v := coreInit(t, classic)
		a := coreAdd(t, v, "schema: case.v1\nperson: {name: Before Rotation}\n")
		oldIdentity, _ := os.ReadFile(filepath.Join(dir, identityFile))
		oldMaster, _ := os.ReadFile(filepath.Join(dir, masterFile))
		oldMK := v.mk
		oldText := v.id.String()
		oldVK := v.id.VerifyKey()

		res, err := v.RotateIdentity(RotateOptions{Passphrase: []byte(rotatedPass)})
		if err != nil {
			t.Fatalf("RotateIdentity: %v", err)
		}
		if res.PostQuantum == classic {
			t.Errorf("classic=%v vault rotated to post-quantum=%v: the kind must stay", classic, res.PostQuantum)
		}
		b := coreAdd(t, v, "schema: case.v1\nperson: {name: After Rotation}\n")
		if bytes.Equal(v.id.VerifyKey(), oldVK) {
			t.Fatal("verify key unchanged")
		}
		v.Close()

		// The new passphrase opens everything; the audit chain verifies
		// across the key change.
		nv, err := Open(dir, corePassphrase(rotatedPass), Options{})
		if err != nil {
			t.Fatalf("Open with the new passphrase: %v", err)
		}
		for _, id := range []CaseID{a, b} {
			if _, err := nv.Case(id); err != nil {
				t.Fatalf("case %s after rotation: %v", id, err)
			}
		}
		if _, err := nv.VerifyAudit(context.Background()); err != nil {
			t.Fatalf("audit chain after rotation: %v", err)
		}
		storePath := filepath.Join(dir, nv.dbName)
		nv.Close()

		// The old passphrase no longer opens the vault.
		if _, err := Open(dir, corePassphrase(corePass), Options{}); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("old passphrase: %v, want ErrWrongPassphrase", err)
		}
		// The old identity file (as unlocked with the coerced passphrase).
		idf := filepath.Join(t.TempDir(), "old-identity.txt")
		os.WriteFile(idf, []byte(oldText+"\n"), 0o600)
		if _, err := Open(dir, Unlock{IdentityFile: idf}, Options{}); err == nil {
			t.Fatal("the old identity opens the rotated vault")
		}
		// The old identity.age and master.age copied back in.
		os.WriteFile(filepath.Join(dir, identityFile), oldIdentity, 0o600)
		os.WriteFile(filepath.Join(dir, masterFile), oldMaster, 0o600)
		if w, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: true}); err == nil {
			_, cerr := w.Case(b)
			w.Close()
			if cerr == nil {
				t.Fatal("old identity.age + master.age + passphrase read a case added after the rotation")
			}
		}
		// The old master key against the new store, directly.
		oldKey := deriveKeys(oldMK).badger
		if db, err := store.Open(storePath, oldKey[:], store.Options{ReadOnly: true}); err == nil {
			db.Close()
			t.Fatal("the old master key opens the new store")
		}
	}
}

// TestRotationCardUpdatesPartner: a partner who knows our card accepts the
// rotated card as an update; a card signed only by the new key, or by an
// unknown "previous" key, is refused.
func TestRotationCardUpdatesPartner(t *testing.T) {
	us := newOrgVault(t, "Alpha Defence", nil)
	partner := newOrgVault(t, "Beta Rights", nil)
	oldCard, _ := us.Card()
	c, err := ParseCard(oldCard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := partner.AddOrg(c); err != nil {
		t.Fatal(err)
	}
	if _, err := us.RotateIdentity(RotateOptions{Passphrase: []byte(rotatedPass)}); err != nil {
		t.Fatal(err)
	}
	newCard, err := us.Card()
	if err != nil {
		t.Fatal(err)
	}

	// Signed by the new key only (an attacker holding the new key, or a
	// plain card under the same name): not an update.
	var cj cardJSON
	json.Unmarshal(newCard, &cj)
	plain := cj
	plain.PreviousVerifyKey, plain.PreviousSig = "", ""
	vk, _ := ParseVerifyKey(cj.VerifyKey)
	plain.Sig = base64.StdEncoding.EncodeToString(us.id.Sign(cardSignedBytes(1, cj.Org, cj.Recipient, vk, cj.Fingerprint)))
	pb, _ := json.Marshal(plain)
	pc, err := ParseCard(pb)
	if err != nil {
		t.Fatalf("plain card: %v", err)
	}
	var oe *OrgExistsError
	if _, err := partner.AddOrg(pc); !errors.As(err, &oe) {
		t.Fatalf("card signed by the new key only: %v, want OrgExistsError", err)
	}

	// A "previous" key that is not the stored one: refused.
	_, stranger, _ := ed25519.GenerateKey(nil)
	forged := cj
	sprev := stranger.Public().(ed25519.PublicKey)
	msg := rotationCardSignedBytes(cj.Org, cj.Recipient, vk, cj.Fingerprint, sprev)
	forged.PreviousVerifyKey = base64.StdEncoding.EncodeToString(sprev)
	forged.PreviousSig = base64.StdEncoding.EncodeToString(ed25519.Sign(stranger, msg))
	forged.Sig = base64.StdEncoding.EncodeToString(us.id.Sign(msg))
	fb, _ := json.Marshal(forged)
	fc, err := ParseCard(fb)
	if err != nil {
		t.Fatalf("forged card should parse (its signatures are self-consistent): %v", err)
	}
	if _, err := partner.AddOrg(fc); err == nil {
		t.Fatal("rotation card signed by a key the partner does not know was accepted")
	}

	// The previous signature altered: the card does not verify.
	bad := cj
	sig, _ := base64.StdEncoding.DecodeString(cj.PreviousSig)
	sig[0] ^= 1
	bad.PreviousSig = base64.StdEncoding.EncodeToString(sig)
	bb, _ := json.Marshal(bad)
	if _, err := ParseCard(bb); !errors.Is(err, ErrCardSignature) {
		t.Fatalf("altered previous_sig: %v, want ErrCardSignature", err)
	}

	// The real rotation card: an update of the same organisation.
	rc, err := ParseCard(newCard)
	if err != nil {
		t.Fatalf("rotation card: %v", err)
	}
	o, err := partner.AddOrg(rc)
	if err != nil {
		t.Fatalf("rotation card refused: %v", err)
	}
	if !bytes.Equal(o.VerifyKey, us.id.VerifyKey()) || o.Recipient != us.Meta().Recipient || o.Updated == nil {
		t.Fatalf("partner's record after the update: %+v", o)
	}
	got, err := partner.Org("Alpha Defence")
	if err != nil || !bytes.Equal(got.VerifyKey, us.id.VerifyKey()) {
		t.Fatalf("Org after update: %+v, %v", got, err)
	}
	if orgs, _ := partner.Orgs(true); len(orgs) != 1 {
		t.Fatalf("%d organisations after the update, want 1", len(orgs))
	}
}

// TestRotationFinishedByOpen: a rotation stopped after its commit point
// (identity.age replaced, master.age.next not yet moved) is finished by
// the next open.
func TestRotationFinishedByOpen(t *testing.T) {
	dir, v := coreInit(t, true)
	a := coreAdd(t, v, "schema: case.v1\nperson: {name: Crash Window}\n")
	oldMaster, _ := os.ReadFile(filepath.Join(dir, masterFile))
	if _, err := v.RotateIdentity(RotateOptions{Passphrase: []byte(rotatedPass)}); err != nil {
		t.Fatal(err)
	}
	newMaster, _ := os.ReadFile(filepath.Join(dir, masterFile))
	v.Close()
	// Put the state back to "committed, master.age.next not moved".
	os.WriteFile(filepath.Join(dir, masterNextFile), newMaster, 0o600)
	os.WriteFile(filepath.Join(dir, masterFile), oldMaster, 0o600)
	r, err := Open(dir, corePassphrase(rotatedPass), Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open in the crash window: %v", err)
	}
	if _, err := r.Case(a); err != nil {
		t.Fatal(err)
	}
	r.Close()
	w := coreOpenPass(t, dir, rotatedPass)
	w.Close()
	if _, err := os.Stat(filepath.Join(dir, masterNextFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s left after a writing open: %v", masterNextFile, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, masterFile)); !bytes.Equal(b, newMaster) {
		t.Fatal("master.age not replaced by master.age.next")
	}
}

func coreOpenPass(t *testing.T, dir, pass string) *Vault {
	t.Helper()
	v, err := Open(dir, corePassphrase(pass), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return v
}
