package vault

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// A store binding ties a store to the organisation's identity: the file
// store-DBNAME.sig next to the store directory DBNAME holds the identity's
// Ed25519 signature over the store's name, the SHA-256 of the master key
// that seals it and the identity's recipient. Anyone who can write to the
// vault directory can encrypt a master.age of their own to the
// organisation's public recipient; nobody without the identity can sign
// its binding (SECURITY.md, "Substituted store").

const bindingLabel = "casevault store binding v1\n"

// maxBindingFile bounds what is read of a binding file.
const maxBindingFile = 4096

type storeBinding struct {
	Format       string `json:"format"` // "casevault-store-binding"
	Version      int    `json:"version"`
	Store        string `json:"store"`
	MasterSHA256 string `json:"master_sha256"`
	Recipient    string `json:"recipient"`
	// Generation (version 2) counts the stores of the vault: Init's is 1,
	// each rekey, purge or rotation's new store one more. Committed says
	// the store has been the vault (master.age named it): a store whose
	// binding is not committed is a rekey's copy before its commit point.
	Generation uint64 `json:"generation,omitempty"`
	Committed  bool   `json:"committed,omitempty"`
	Sig        []byte `json:"sig"`
}

func bindingFile(dbName string) string { return "store-" + dbName + ".sig" }

func masterHash(mk crypto.Key) string {
	h := sha256.Sum256(append([]byte("casevault master key\n"), mk[:]...))
	return hex.EncodeToString(h[:])
}

func (b storeBinding) signedMessage() []byte {
	if b.Version == 2 {
		return fmt.Appendf(nil, "%s%s\n%s\n%s\ngeneration %d\ncommitted %t\n", bindingLabelV2, b.Store, b.MasterSHA256, b.Recipient, b.Generation, b.Committed)
	}
	return fmt.Appendf(nil, "%s%s\n%s\n%s\n", bindingLabel, b.Store, b.MasterSHA256, b.Recipient)
}

const bindingLabelV2 = "casevault store binding v2\n"

// errStoreBinding is the damage a failed binding is reported as.
func errStoreBinding(reason string) error {
	return &CorruptError{What: "store binding", Err: errors.New(reason + "; the store was not opened, and nothing was changed or removed")}
}

// writeBinding signs and writes the binding of store dbName sealed with mk.
func writeBinding(dir string, id *crypto.Identity, mk crypto.Key, dbName string, gen uint64, committed bool) error {
	b := storeBinding{Format: "casevault-store-binding", Version: 2, Store: dbName, MasterSHA256: masterHash(mk), Recipient: id.RecipientString(), Generation: gen, Committed: committed}
	b.Sig = id.Sign(b.signedMessage())
	j, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, bindingFile(dbName)), append(j, '\n'))
}

// readBinding reads and parses the binding file of store dbName and
// verifies its signature with one of keys.
func readBinding(dir, dbName string, keys []ed25519.PublicKey) (storeBinding, error) {
	var b storeBinding
	p := filepath.Join(dir, bindingFile(dbName))
	st, err := os.Lstat(p)
	if err != nil {
		return b, err
	}
	if !st.Mode().IsRegular() {
		return b, errStoreBinding(bindingFile(dbName) + " is not a regular file")
	}
	raw, err := readSmallFile(p, maxBindingFile)
	if err != nil {
		return b, errStoreBinding(err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || b.Format != "casevault-store-binding" || (b.Version != 1 && b.Version != 2) ||
		(b.Version == 1 && (b.Generation != 0 || b.Committed)) {
		return b, errStoreBinding(bindingFile(dbName) + " is malformed")
	}
	for _, k := range keys {
		if crypto.Verify(k, b.signedMessage(), b.Sig) {
			return b, nil
		}
	}
	return b, errStoreBinding(bindingFile(dbName) + " is not signed by this vault's identity")
}

// checkBinding verifies the binding of the unlocked store. It reports
// missing when there is no binding file at all (a vault made before
// bindings existed).
func (v *Vault) checkBinding() (missing bool, err error) {
	b, err := readBinding(v.dir, v.dbName, []ed25519.PublicKey{v.orgVerifyKey()})
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if b.Store != v.dbName || b.MasterSHA256 != masterHash(v.mk) || b.Recipient != v.orgRecipient() {
		return false, errStoreBinding(masterFile + " does not hold the master key its signed binding names")
	}
	v.binding = b
	return false, nil
}

// bindStore checks that the store master.age names is this identity's and
// opens it: with a binding, the binding must verify; without one (a vault
// made before bindings), the store must be the only one in the directory
// and pass checkStoreIdentity and checkPreBindingChain when opened for
// reading only, and then the first writer writes its binding and a signed
// store.bind entry (trust on first use). A store that fails is never
// opened for writing.
func (v *Vault) bindStore() error {
	missing, err := v.checkBinding()
	if err != nil {
		return err
	}
	if !missing {
		if err := v.checkRollback(); err != nil {
			return err
		}
	}
	if missing && v.staff != nil {
		// Staff exist only in vaults made or migrated with bindings.
		return errStoreBinding(v.dbName + " named by a staff key file has no signed binding")
	}
	if missing {
		names, err := storeNames(v.dir)
		if err != nil {
			return err
		}
		if len(names) != 1 || names[0] != v.dbName {
			return errStoreBinding(fmt.Sprintf("%s (named by %s) has no signed binding and the directory holds %d store directories (%s): which one is the vault's is ambiguous (if the others are left from an interrupted rekey by an older casevault, move them out of the vault directory and try again)",
				v.dbName, masterFile, len(names), strings.Join(names, ", ")))
		}
		ro := v.opts.ReadOnly
		v.opts.ReadOnly = true
		err = v.openDB()
		v.opts.ReadOnly = ro
		if err != nil {
			return err
		}
		err = v.checkStoreIdentity()
		if err == nil {
			err = v.checkPreBindingChain()
		}
		cerr := v.db.Close()
		v.db = nil
		if err != nil {
			return err
		}
		if cerr != nil {
			return cerr
		}
		if v.opts.ReadOnly {
			// A reader leaves the store unbound: the first writer binds
			// it and records so in the audit log (binding_tofu.go).
			if err := v.openDB(); err != nil {
				return err
			}
			return v.checkStoreIdentity()
		}
		// The binding file first: a crash before the store.bind entry
		// leaves a bound store, never a marked store without binding.
		if err := writeBinding(v.dir, v.id, v.mk, v.dbName, 1, true); err != nil {
			return fmt.Errorf("writing the store binding %s: %w", bindingFile(v.dbName), err)
		}
		if err := v.openDB(); err != nil {
			return err
		}
		if err := v.checkStoreIdentity(); err != nil {
			return err
		}
		return v.commit(func(c *change) error {
			c.audit(opStoreBind, []string{v.dbName}, []byte(masterHash(v.mk)))
			return nil
		})
	}
	if err := v.openDB(); err != nil {
		return err
	}
	return v.checkStoreIdentity()
}

// storeNames returns the names of the store directories in the vault
// directory (entries named db-* that are directories, not links).
func storeNames(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "db-") && e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// checkStoreIdentity requires the open store to be the identity's: its
// meta names the identity's recipient and verification key, and the newest
// audit entry (the signed head) is signed by the identity and is the head
// the store records.
func (v *Vault) checkStoreIdentity() error {
	var meta Meta
	if err := v.getJSON(nil, metaKey(), v.keys.sys, &meta); err != nil {
		if errors.Is(err, errNoRecord) {
			err = &CorruptError{What: "vault meta", Err: errors.New("missing")}
		}
		return fmt.Errorf("reading vault meta: %w", err)
	}
	if meta.Recipient != v.orgRecipient() || !bytes.Equal(meta.VerifyKey, v.orgVerifyKey()) {
		return errStoreBinding("the store's organisation keys are not this vault's identity")
	}
	v.meta = meta
	return v.view(func(txn *store.Txn) error {
		head, err := v.auditHead(txn)
		if err != nil {
			return err
		}
		if head.Seq == 0 {
			return errStoreBinding("the store has no signed audit log")
		}
		var e AuditEntry
		if err := v.getJSON(txn, auditKey(head.Seq), v.keys.sys, &e); err != nil {
			if errors.Is(err, errNoRecord) {
				return errStoreBinding("the audit head names a missing entry")
			}
			return err
		}
		if e.Seq != head.Seq || e.Hash() != head.Hash {
			return errStoreBinding("the newest audit entry is not signed by this vault's identity")
		}
		if len(e.StaffKey) > 0 {
			// Signed by a member: their key, and an active member's.
			m, err := v.staffRecord(txn, StaffIDOf(e.StaffKey))
			if err != nil || !m.Active() || !crypto.Verify(m.VerifyKey, e.SignedMessage(), e.Sig) {
				return errStoreBinding("the newest audit entry is not signed by this vault's identity or an active staff member")
			}
			return nil
		}
		if !crypto.Verify(v.orgVerifyKey(), e.SignedMessage(), e.Sig) {
			return errStoreBinding("the newest audit entry is not signed by this vault's identity")
		}
		return nil
	})
}

// removeBinding removes the binding file of store dbName if it is a
// private regular file (a link, hard link or anything else planted under
// its name is left alone).
func removeBinding(dir, dbName string) {
	p := filepath.Join(dir, bindingFile(dbName))
	if st, err := os.Lstat(p); err == nil && privateRegular(st) {
		_ = os.Remove(p)
	}
}
