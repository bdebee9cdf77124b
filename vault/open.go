package vault

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"filippo.io/age"
	"filippo.io/age/plugin"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// FormatVersion is the vault format this casevault writes and reads.
// Format 2 (search index 2, list summaries 3, import key records) is
// format 1 with records an older casevault cannot read: a read-write open
// of a format-1 vault migrates them and then writes 2 into the format
// file, so that an older casevault refuses the vault as newer (exit 9)
// rather than reading the new index as damaged. This casevault reads both.
// Format 3 adds staff (staff records, staff-signed audit entries, wrap
// files; SECURITY.md, "Staff"): nothing needs migrating, but an older
// casevault would reject a staff-signed entry as a broken chain, so the
// first read-write open writes 3.
const FormatVersion = 3

// Files in the vault directory. Only formatFile is readable without keys,
// and it holds nothing but the format name and version.
const (
	formatFile   = "casevault.json" // {"format":"casevault-vault","version":1}
	identityFile = "identity.age"   // the age identity, passphrase-protected (scrypt)
	masterFile   = "master.age"     // master key and current store name, encrypted to the identity
	lockFile     = "lock"           // flock(2) target: one process at a time
	blobDir      = "blobs"          // sealed evidence files
	maxKeyFile   = 64 << 10
)

// A Vault is an open, unlocked vault. It is not safe for use by several
// goroutines at once.
type Vault struct {
	dir    string
	dbName string
	db     *store.DB
	lock   *os.File
	id     *crypto.Identity
	mk     crypto.Key
	keys   derivedKeys
	meta   Meta
	opts   Options
	// masterSum is the SHA-256 of master.age as the owner's unlock read
	// it (zero for a staff member's): see storeReplaced.
	masterSum [32]byte
	// tokens holds token MACs under the index key (see tokenMAC) and the
	// tokens known to be in the search vocabulary (index_vocab.go).
	tokens index.TokenCache
	// indexCurrent says the search index is of the current format and
	// field list (index_rebuild.go).
	indexCurrent bool
	indexRead    int // the format of the index record the open read (indexInfo.Format)
	// binding is the verified binding of the open store (binding.go).
	binding storeBinding
	// staff is set when a staff member other than the owner unlocked the
	// vault with their own identity; id is then nil (staff.go).
	staff *staffSession
	// setAside are the table files the preflight moved out of the store
	// at this open (store_unlisted.go).
	setAside []string
}

// derivedKeys are the subkeys of the master key (see SECURITY.md).
type derivedKeys struct {
	caseKEK crypto.Key // wraps each case's data key
	sys     crypto.Key // vault meta, organisations, shares, bundles, audit log
	index   crypto.Key // summaries, search postings, evidence index
	badger  crypto.Key // Badger's own encryption at rest (AES-256-CTR)
}

func deriveKeys(mk crypto.Key) derivedKeys {
	return derivedKeys{
		caseKEK: crypto.DeriveKey(mk, "case key wrapping"),
		sys:     crypto.DeriveKey(mk, "system records"),
		index:   crypto.DeriveKey(mk, "search index"),
		badger:  crypto.DeriveKey(mk, "badger encryption at rest"),
	}
}

// Meta describes the vault's organisation.
type Meta struct {
	Org       string    `json:"org"`
	Created   time.Time `json:"created"`
	Recipient string    `json:"recipient"`
	VerifyKey []byte    `json:"verify_key"`
	// PreviousKeys are the keys of the organisation before each identity
	// rotation, oldest first (see RotateIdentity).
	PreviousKeys []PreviousKey `json:"previous_keys,omitempty"`
	// RotationSig is the signature by the last previous key over the
	// current card (rotationCardSignedBytes).
	RotationSig []byte `json:"rotation_sig,omitempty"`
}

// Options tune an open vault.
type Options struct {
	// Author names who makes changes, recorded in revisions and the audit
	// log. Empty means the operating-system user name.
	Author string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens the store for reading only: no memtable file, no
	// background compaction, a faster open and close. Changes fail.
	ReadOnly bool
	// Wait is how long Open waits for other processes to let go of the
	// vault before it returns ErrInUse. Read-only opens share the vault
	// with each other; any other open waits for all of them.
	Wait time.Duration
	// BulkWrite opens the store with write options suited to a large
	// import (fewer compactions while it writes, see store.Options); reads
	// and what is stored are as with any open. Ignored with ReadOnly.
	BulkWrite bool
	// Context, when not nil, cancels the long work a read-write open may
	// do: the rebuild of a search index of an earlier format. Cancelled,
	// Open returns its error, and the next read-write open starts the
	// rebuild again.
	Context context.Context
	// Notify, when not nil, receives what an open has to tell its user
	// before long work (the rebuild of a search index of an earlier
	// format), in English.
	Notify func(msg string)
	// keepIndex leaves a search index of a previous format as it is (the
	// check of a restored vault against its manifest, which must find the
	// audit log as the backup had it).
	keepIndex bool
}

// Unlock says how to unlock a vault. The first non-empty source is used.
type Unlock struct {
	// Identity is an already unlocked identity (from the agent).
	Identity *crypto.Identity
	// AgentSecret is what the unlock agent holds (AgentSecret's result):
	// an identity, or a plugin member's session (agent_session.go).
	AgentSecret []byte
	// IdentityFile is an age identity file that unlocks without passphrase.
	IdentityFile string
	// Passphrase returns the passphrase protecting the vault's identity.
	Passphrase func() ([]byte, error)
	// PluginUI receives the prompts of an age plugin (a PIN, a touch)
	// when IdentityFile is a staff member's plugin identity.
	PluginUI *plugin.ClientUI
}

type formatMarker struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
}

type masterPayload struct {
	Version   int    `json:"version"`
	MasterKey []byte `json:"master_key"`
	DB        string `json:"db"`
}

// InitOptions describe a new vault.
type InitOptions struct {
	Org        string
	Classic    bool   // X25519 instead of the post-quantum hybrid
	Identity   []byte // adopt this age identity file instead of generating one
	Passphrase []byte
	Options
}

// Init creates a vault in dir, which must not exist or be empty, and returns
// it open.
//
// Init either succeeds or leaves dir as it found it: absent, or empty.
func Init(dir string, o InitOptions) (_ *Vault, err error) {
	o.Org = strings.TrimSpace(o.Org)
	if o.Org == "" {
		return nil, errors.New("organisation name is empty")
	}
	if err := CheckNewOrg(o.Org); err != nil {
		return nil, err
	}
	if len(o.Passphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	existed := true
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrVaultExists)
	} else if errors.Is(err, fs.ErrNotExist) {
		existed = false
	} else if err != nil {
		return nil, err
	}
	// The identity comes first, so that a bad identity file creates nothing.
	var id *crypto.Identity
	if o.Identity != nil {
		id, err = crypto.ParseIdentity(o.Identity)
	} else {
		id, err = crypto.GenerateIdentity(o.Classic)
	}
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := MakePrivate(dir, true); err != nil { // an owner-only, inherited ACL on Windows
		return nil, fmt.Errorf("making %s private: %w", dir, err)
	}
	// The lock comes before any file, so that two inits of one directory
	// cannot mix their files or undo each other's.
	lock, err := lockVault(dir, false, 0)
	if err != nil {
		return nil, err
	}
	undo := true
	defer func() {
		if err != nil {
			if undo {
				undoInit(dir, existed)
			}
			lock.Close()
		}
	}()
	if ents, err := os.ReadDir(dir); err != nil {
		return nil, err
	} else if len(ents) != 1 {
		undo = false // another init got here first: leave its files alone
		return nil, fmt.Errorf("%s: %w", dir, ErrVaultExists)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	sealedID, err := sealIdentity(id, o.Passphrase)
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, identityFile), sealedID); err != nil {
		return nil, err
	}
	mk := crypto.NewKey()
	dbName := "db-" + randomHex(4)
	if err := writeMaster(dir, id, mk, dbName, false); err != nil {
		return nil, err
	}
	v := &Vault{dir: dir, dbName: dbName, lock: lock, id: id, mk: mk, keys: deriveKeys(mk), opts: o.Options}
	if err := v.openDB(); err != nil {
		v.Close()
		return nil, err
	}
	v.meta = Meta{Org: o.Org, Created: v.now(), Recipient: id.RecipientString(), VerifyKey: id.VerifyKey()}
	err = v.commit(func(c *change) error {
		if err := c.putJSON(metaKey(), v.keys.sys, v.meta); err != nil {
			return err
		}
		if err := c.putIndexInfo(); err != nil {
			return err
		}
		c.audit(OpVaultInit, nil, initAuditContent(v.meta.Recipient))
		return nil
	})
	if err == nil {
		err = writeBinding(dir, id, mk, dbName, 1, true)
		v.binding.Generation, v.binding.Committed = 1, true
	}
	if err == nil {
		var marker []byte
		marker, err = json.Marshal(formatMarker{Format: "casevault-vault", Version: FormatVersion})
		if err == nil {
			err = writeFileAtomic(filepath.Join(dir, formatFile), append(marker, '\n'))
		}
	}
	if err != nil {
		v.Close()
		return nil, err
	}
	return v, nil
}

// undoInit removes what a failed Init created in dir (shredding the key
// files), and dir itself if it did not exist before.
func undoInit(dir string, existed bool) {
	shredContents(dir)
	if !existed {
		_ = os.Remove(dir)
	}
}

// sealIdentity returns the content of identity.age: the identity as an
// age-keygen style file, encrypted with the passphrase.
func sealIdentity(id *crypto.Identity, passphrase []byte) ([]byte, error) {
	text := fmt.Appendf(nil, "# casevault organisation identity: keep secret\n# public key: %s\n%s\n", id.RecipientString(), id.String())
	defer crypto.Wipe(text)
	return crypto.EncryptWithPassphrase(text, passphrase)
}

func writeMaster(dir string, id *crypto.Identity, mk crypto.Key, dbName string, overwriteOld bool) error {
	payload, err := json.Marshal(masterPayload{Version: 1, MasterKey: mk[:], DB: dbName})
	if err != nil {
		return err
	}
	ct, err := crypto.EncryptToRecipients(payload, id.Recipient())
	crypto.Wipe(payload)
	if err != nil {
		return err
	}
	if overwriteOld {
		return replaceFileOverwriting(filepath.Join(dir, masterFile), ct)
	}
	return writeFileAtomic(filepath.Join(dir, masterFile), ct)
}

// CheckFormat reports whether dir holds a vault this casevault can read,
// without unlocking it.
func CheckFormat(dir string) error {
	b, err := readSmallFile(filepath.Join(dir, formatFile), 4096)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if _, serr := os.Stat(dir); serr != nil && errors.Is(serr, fs.ErrNotExist) {
				return fmt.Errorf("%s: %w (directory does not exist)", dir, ErrNoVault)
			}
			return fmt.Errorf("%s: %w (no %s)", dir, ErrNoVault, formatFile)
		}
		return err
	}
	var m formatMarker
	if err := json.Unmarshal(b, &m); err != nil || m.Format != "casevault-vault" {
		return fmt.Errorf("%s: %w (%s is not a casevault format file)", dir, ErrNoVault, formatFile)
	}
	if m.Version > FormatVersion {
		return fmt.Errorf("%s: %w (format %d; this casevault reads format %d)", dir, ErrNewerVersion, m.Version, FormatVersion)
	}
	if m.Version < 1 {
		return fmt.Errorf("%s: %w (format version %d is invalid)", dir, ErrNoVault, m.Version)
	}
	return nil
}

// Open unlocks and opens the vault in dir.
func Open(dir string, u Unlock, o Options) (*Vault, error) {
	u, forget := askOnce(u)
	defer forget()
	for try := 1; ; try++ {
		v, err := openOnce(dir, u, o)
		if errors.Is(err, errStoreReplaced) {
			if try < maxReopens {
				continue // unlock again: master.age names the new store
			}
			err = ErrInUse
		}
		return v, err
	}
}

func openOnce(dir string, u Unlock, o Options) (*Vault, error) {
	if err := CheckFormat(dir); err != nil {
		return nil, err
	}
	lock, err := lockVault(dir, o.ReadOnly, o.Wait)
	if err != nil {
		return nil, err
	}
	v := &Vault{dir: dir, lock: lock, opts: o}
	if err := v.unlock(u); err != nil {
		v.Close()
		return nil, err
	}
	// Badger would create a missing store as a new, empty one.
	if st, err := os.Stat(filepath.Join(dir, v.dbName)); err != nil || !st.IsDir() {
		v.Close()
		if v.staff != nil && v.staffWrapSuperseded() {
			// A member's wrap names the store of its time: after a
			// rekey, a stale wrap names a store that is gone.
			return nil, staleWrap(v.staff.wrapFile, fmt.Errorf("names store %s, which is not in the vault", v.dbName))
		}
		return nil, &CorruptError{What: "store", Err: fmt.Errorf("store directory %s named by %s is missing", v.dbName, masterFile)}
	}
	// The store must be the identity's before anything is written to it
	// or removed beside it (SECURITY.md, "Substituted store").
	if err := v.bindStore(); err != nil {
		v.Close()
		return nil, err
	}
	if err := v.checkStaffSession(); err != nil {
		v.Close()
		return nil, err
	}
	if !o.ReadOnly {
		// Readers share the vault: what looks left over may be another
		// reader's. Only a writer, alone, removes leftovers.
		v.removeLeftovers()
		if err := v.migrateSummaries(); err != nil {
			v.Close()
			return nil, err
		}
	}
	if err := v.loadIndex(); err != nil {
		v.Close()
		return nil, err
	}
	if !o.ReadOnly {
		if err := upgradeFormat(dir); err != nil {
			v.Close()
			return nil, err
		}
		// Best effort: a member whose wrap a crash left out gets it at the
		// owner's next open; failing here must not lock the owner out.
		_ = v.refreshStaffWraps()
	}
	return v, nil
}

// upgradeFormat writes FormatVersion into the format file of a vault whose
// records have been migrated to it (see FormatVersion), if it names an
// older one.
func upgradeFormat(dir string) error {
	b, err := readSmallFile(filepath.Join(dir, formatFile), 4096)
	if err != nil {
		return err
	}
	var m formatMarker
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m.Version >= FormatVersion {
		return nil
	}
	marker, err := json.Marshal(formatMarker{Format: "casevault-vault", Version: FormatVersion})
	if err != nil {
		return err
	}
	return replaceFileOverwriting(filepath.Join(dir, formatFile), append(marker, '\n'))
}

// UnlockIdentity returns the vault's identity using u, without opening the
// store (for the agent and for passwd).
func UnlockIdentity(dir string, u Unlock) (*crypto.Identity, error) {
	if err := CheckFormat(dir); err != nil {
		return nil, err
	}
	v := &Vault{dir: dir}
	if err := v.unlock(u); err != nil {
		return nil, err
	}
	if v.staff != nil {
		return v.staff.id, nil
	}
	return v.id, nil
}

func (v *Vault) unlock(u Unlock) error {
	if len(u.AgentSecret) > 0 {
		if done, err := v.unlockAgentSecret(&u); done || err != nil {
			return err
		}
	}
	// ownIdentity: the identity came from this vault's identity.age.
	id, ownIdentity, err := unlockIdentity(u, "vault",
		func() ([]byte, error) { return readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile) },
		func(err error) error { return &CorruptError{What: "key file " + identityFile, Err: err} })
	if err != nil {
		return err
	}
	v.id = id
	if id.Plugin() {
		// Only a staff member has a plugin identity: master.age is
		// encrypted to the organisation's own.
		return v.unlockStaff(id)
	}
	// A missing master.age, or anything but a regular file in its place,
	// is damage (issue 11 attack 12): without it the store cannot be read.
	if st, err := os.Stat(filepath.Join(v.dir, masterFile)); errors.Is(err, fs.ErrNotExist) {
		return &CorruptError{What: "key file " + masterFile, Err: errors.New("the file is missing")}
	} else if err == nil && !st.Mode().IsRegular() {
		return &CorruptError{What: "key file " + masterFile, Err: errors.New("is not a regular file")}
	}
	ct, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	if err != nil {
		return err
	}
	pt, err := crypto.DecryptWithIdentity(ct, v.id.AgeIdentity(), maxKeyFile)
	var nm *age.NoIdentityMatchError
	if err != nil && errors.As(err, &nm) && ownIdentity {
		// An identity rotation stopped after its commit point: identity.age
		// holds the new identity, and master.age.next the new master key.
		if next, nerr := v.finishRotation(); nerr == nil {
			pt, err = next, nil
		}
	}
	if err != nil {
		// The vault's own identity not matching means master.age is
		// damaged, not that the user holds the wrong key.
		if errors.As(err, &nm) && !ownIdentity {
			// A staff member's own identity: their wrap (staff.go).
			return v.unlockStaff(id)
		}
		return &CorruptError{What: "key file " + masterFile, Err: err}
	}
	var mp masterPayload
	err = json.Unmarshal(pt, &mp)
	crypto.Wipe(pt)
	if err != nil || len(mp.MasterKey) != crypto.KeySize || !strings.HasPrefix(mp.DB, "db-") || strings.ContainsAny(mp.DB, `/\.`) {
		return &CorruptError{What: "key file " + masterFile, Err: errors.New("malformed master key payload")}
	}
	copy(v.mk[:], mp.MasterKey)
	crypto.Wipe(mp.MasterKey)
	v.dbName = mp.DB
	v.masterSum = sha256.Sum256(ct)
	v.keys = deriveKeys(v.mk)
	return nil
}

// unlockIdentity returns the identity that u names: u.Identity, the
// identity file u.IdentityFile, or the passphrase-protected identity file
// that sealed returns, opened with u.Passphrase. damaged describes a
// passphrase-protected file that fails for another reason than the
// passphrase; what ("vault", "backup") names what is unlocked. fromSealed
// reports that the identity came from the passphrase-protected file.
func unlockIdentity(u Unlock, what string, sealed func() ([]byte, error), damaged func(error) error) (id *crypto.Identity, fromSealed bool, err error) {
	switch {
	case u.Identity != nil:
		return u.Identity, false, nil
	case u.IdentityFile != "":
		b, err := readSmallFile(u.IdentityFile, maxKeyFile)
		if err != nil {
			return nil, false, fmt.Errorf("identity file: %w", err)
		}
		defer crypto.Wipe(b)
		id, err := crypto.ParseMemberIdentity(b, u.PluginUI)
		if err != nil {
			return nil, false, fmt.Errorf("identity file %s: %w", u.IdentityFile, err)
		}
		return id, false, nil
	case u.Passphrase != nil:
		s, err := sealed()
		if err != nil {
			return nil, false, err
		}
		pass, err := u.Passphrase()
		if err != nil {
			return nil, false, err
		}
		text, err := crypto.DecryptWithPassphrase(s, pass, maxKeyFile)
		crypto.Wipe(pass)
		if errors.Is(err, ErrWrongPassphrase) {
			return nil, false, &authError{err}
		}
		if err != nil {
			return nil, false, damaged(err)
		}
		defer crypto.Wipe(text)
		id, err := crypto.ParseIdentity(text)
		if err != nil {
			return nil, false, damaged(err)
		}
		return id, true, nil
	}
	return nil, false, fmt.Errorf("no way to unlock the %s (no passphrase and no identity)", what)
}

func readSmallFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes is larger than the %d-byte limit", path, st.Size(), limit)
	}
	b := make([]byte, st.Size())
	_, err = f.ReadAt(b, 0)
	if err != nil && st.Size() > 0 {
		return nil, err
	}
	return b, nil
}

func (v *Vault) openDB() error {
	path := filepath.Join(v.dir, v.dbName)
	// Readers and writers check the store alike (a table Badger fails to
	// open ends the process, store.checkTableFiles), and set aside the
	// table files the MANIFEST does not name, which Badger would delete
	// (store_unlisted.go).
	moved, err := store.PreflightSetAside(path, v.keys.badger[:], filepath.Join(v.dir, setAsideDir))
	v.setAside = append(v.setAside, moved...)
	if err != nil {
		return storeDamage(err)
	}
	db, err := v.openStore(path)
	if errors.Is(err, errStoreReplaced) {
		return err
	}
	if err != nil {
		var de *store.DamageError
		if errors.As(err, &de) {
			return storeDamage(err)
		}
		var ce *CorruptError
		if errors.As(err, &ce) {
			return err
		}
		if errors.Is(err, store.ErrLocked) {
			return ErrInUse
		}
		// Permissions, a full or read-only disk are not damage: restoring
		// a backup would not help.
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EROFS) || isEnvironmentError(err) {
			return fmt.Errorf("opening the store in %s: %w", v.dir, err)
		}
		return &CorruptError{What: "store", Err: err}
	}
	v.db = db
	v.tightenStore()
	return nil
}

// storeDamage reports the store's *DamageError as a CorruptError (the
// same message); other errors are returned as they are.
func storeDamage(err error) error {
	var de *store.DamageError
	if errors.As(err, &de) {
		return &CorruptError{What: de.What, Err: de.Err}
	}
	return err
}

// openStore opens the store in path. A reader shares the vault (see
// sharedReads); when Badger must first replay a killed writer's log, the
// reader swaps its shared lock for the exclusive one around the replay
// (waiting at most Options.Wait).
func (v *Vault) openStore(path string) (*store.DB, error) {
	o := store.Options{ReadOnly: v.opts.ReadOnly && sharedReads, BulkWrite: v.opts.BulkWrite}
	if o.ReadOnly && v.lock != nil {
		o.Exclusive = func(replay func() error) error {
			v.lock.Close()
			v.lock = nil
			var err error
			v.lock, err = replayLocked(v.dir, v.opts.Wait, func() error {
				// The lock was let go of for a moment: a writer that got
				// in may have replaced the store (a rekey).
				if v.storeReplaced() {
					return errStoreReplaced
				}
				return replay()
			})
			return err
		}
	}
	return store.Open(path, v.keys.badger[:], o)
}

// removeLeftovers deletes what an interrupted rekey or write left behind:
// store directories other than the current one and temporary files.
func (v *Vault) removeLeftovers() {
	ents, err := os.ReadDir(v.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, "db-") && n != v.dbName && e.IsDir():
			_ = shredDir(filepath.Join(v.dir, n))
			removeBinding(v.dir, n)
		case strings.HasPrefix(n, "store-db-") && strings.HasSuffix(n, ".sig") && n != bindingFile(v.dbName):
			db := strings.TrimSuffix(strings.TrimPrefix(n, "store-"), ".sig")
			if st, err := os.Lstat(filepath.Join(v.dir, db)); err != nil || !st.IsDir() {
				removeBinding(v.dir, db)
			}
		case isOwnTempName(n):
			// Only what writeStreamAtomic could have made and left: its
			// exact name pattern, a private regular file.
			if fi, err := os.Lstat(filepath.Join(v.dir, n)); err == nil && privateRegular(fi) {
				_ = shredFile(filepath.Join(v.dir, n))
			}
		case n == masterNextFile:
			if fi, err := os.Lstat(filepath.Join(v.dir, n)); err == nil && privateRegular(fi) {
				_ = shredFile(filepath.Join(v.dir, n))
			}
		}
	}
}

// Close closes the store and releases the lock.
func (v *Vault) Close() error {
	var err error
	if v.db != nil {
		err = v.db.Close()
		v.db = nil
		v.tightenStore()
	}
	if v.lock != nil {
		v.lock.Close()
		v.lock = nil
	}
	v.tokens.Release()
	crypto.Wipe(v.mk[:])
	for _, k := range []*crypto.Key{&v.keys.caseKEK, &v.keys.sys, &v.keys.index, &v.keys.badger} {
		crypto.Wipe(k[:])
	}
	return err
}

// Dir returns the vault directory.
func (v *Vault) Dir() string { return v.dir }

// Meta returns the vault's organisation description.
func (v *Vault) Meta() Meta { return v.meta }

// Identity returns the organisation identity that unlocked the vault.
func (v *Vault) Identity() *crypto.Identity { return v.id }

func (v *Vault) now() time.Time {
	if v.opts.Now != nil {
		return v.opts.Now().UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

func (v *Vault) author() string {
	if v.opts.Author != "" {
		return v.opts.Author
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// ChangePassphrase re-encrypts the vault's identity under a new passphrase,
// replacing and overwriting the old file.
func (v *Vault) ChangePassphrase(newPass []byte) error {
	if len(newPass) == 0 {
		return errors.New("empty passphrase")
	}
	if err := v.needOwner("passwd"); err != nil {
		return err
	}
	sealed, err := sealIdentity(v.id, newPass)
	if err != nil {
		return err
	}
	// The audit entry commits first, and the file is replaced only then:
	// the two cannot change atomically together, and a passphrase change
	// without its entry (were the commit to fail after the file was
	// replaced) is worse than an entry for an attempt that then failed.
	if err := v.commit(func(c *change) error {
		c.audit(OpPasswd, nil, nil)
		return nil
	}); err != nil {
		return err
	}
	if err := replaceFileOverwriting(filepath.Join(v.dir, identityFile), sealed); err != nil {
		return fmt.Errorf("replacing %s: %w", identityFile, err)
	}
	return nil
}
