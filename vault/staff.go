package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/plugin"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/keys"
	"github.com/casevault/casevault/vault/internal/store"
)

// Staff: the people who work in a vault (SECURITY.md, "Staff"). The owner
// holds the organisation identity; every other member unlocks with an
// identity of their own, to which the master key is wrapped in
// staff/<ID>.age.

const (
	staffDir     = "staff"
	maxStaff     = 1000 // staff records and wrap files a vault holds
	maxWrapFile  = 64 << 10
	staffWrapExt = ".age"
)

// ErrNeedOwner is returned to a staff member for what only the holder of
// the organisation identity may do.
var ErrNeedOwner = errs.New(errs.ErrAuth, "needs the organisation identity (the vault's owner)")

// ErrStaffRemoved is returned when a card names a removed staff member and
// re-admission was not asked for.
var ErrStaffRemoved = errs.New(errs.ErrExists, "was removed from the staff")

// ErrStaffExists is returned for a name or key already on the staff.
var ErrStaffExists = errs.New(errs.ErrExists, "already on the staff")

// ErrStaffNotFound is returned for a name that is no active staff member.
var ErrStaffNotFound = errs.New(errs.ErrNotFound, "no such staff member")

// A StaffMember is one person of the vault's staff.
type StaffMember struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Recipient   string            `json:"recipient"`
	VerifyKey   ed25519.PublicKey `json:"verify_key"`
	Fingerprint string            `json:"fingerprint"`
	// Owner is the holder of the organisation identity.
	Owner    bool      `json:"owner,omitempty"`
	Added    time.Time `json:"added,omitzero"`
	AddedSeq uint64    `json:"added_seq,omitempty"`
	// Card is the staff card the member was added with, whose SHA-256
	// the organisation-signed staff.add entry holds: it binds the name to
	// the key (records of the previous version have none).
	Card []byte `json:"card,omitempty"`
	// PrevCards are the cards of earlier memberships of the same key
	// (re-admission), which the entries of those periods are checked by.
	PrevCards [][]byte `json:"prev_cards,omitempty"`
	// Removed is set once the member was removed (the record is kept).
	Removed    time.Time `json:"removed,omitzero"`
	RemovedSeq uint64    `json:"removed_seq,omitempty"`
	// WrapGeneration is the store generation of the member's wrap file.
	WrapGeneration uint64 `json:"wrap_generation,omitempty"`
	// WrapSHA256 is the SHA-256 of the wrap file the owner last wrote:
	// a file that differs (a stale copy planted back) is rewritten.
	WrapSHA256 string `json:"wrap_sha256,omitempty"`
	// SigningKeyBox is, for a member whose identity is an age plugin's,
	// the box of their card holding their signing key (an age file to
	// them; the owner cannot open it). It goes into each of their wraps.
	SigningKeyBox []byte `json:"signing_key_box,omitempty"`
}

// Plugin reports whether the member's identity is an age plugin's.
func (m StaffMember) Plugin() bool { return len(m.SigningKeyBox) > 0 }

// wrapFile is the name of the member's wrap file in staff/: by staff ID,
// or for a plugin identity by recipient (keys.PluginWrapName).
func (m StaffMember) wrapFile() string {
	if m.Plugin() {
		return keys.PluginWrapName(m.Recipient) + staffWrapExt
	}
	return m.ID + staffWrapExt
}

// Active reports whether the member has not been removed.
func (m StaffMember) Active() bool { return m.Removed.IsZero() }

// staffSession is set when a staff member other than the owner unlocked
// the vault: v.id is then nil, and the organisation's public keys come from
// the member's wrap (checked against the binding and the store).
type staffSession struct {
	id           *crypto.Identity
	member       StaffMember
	wrap         keys.Wrap
	orgVerifyKey ed25519.PublicKey
	wrapFile     string   // the name of the wrap file in staff/
	wrapSum      [32]byte // SHA-256 of the wrap file as read at unlock
}

func staffKey(id string) []byte {
	b, _ := hex.DecodeString(id)
	return key(store.PStaff, b)
}

// StaffCard returns the staff card of id under name: what a colleague
// hands to the owner for `staff add`.
//
// For an age plugin identity a new signing key is drawn and its box, to
// the plugin recipient, goes into the card (the plugin binary runs to
// encrypt it); id then signs with that key.
func StaffCard(id *crypto.Identity, name string) ([]byte, error) {
	if !id.Plugin() {
		return keys.EncodeCard(name, id.RecipientString(), id.VerifyKey(), id.Sign)
	}
	if err := keys.CheckName(name); err != nil {
		return nil, err
	}
	seed, box, err := keys.SealSigningKey(id.RecipientString())
	if err != nil {
		return nil, fmt.Errorf("sealing the signing key to the plugin recipient: %w", err)
	}
	err = id.SetSigningSeed(seed)
	crypto.Wipe(seed)
	if err != nil {
		return nil, err
	}
	return keys.EncodePluginCard(name, id.RecipientString(), id.VerifyKey(), box, id.Sign)
}

// ParseStaffCard reads and verifies a staff card.
func ParseStaffCard(b []byte) (*keys.Card, error) { return keys.ParseCard(b) }

// StaffIDOf returns the staff ID of a verify key.
func StaffIDOf(vk ed25519.PublicKey) string { return keys.StaffID(vk) }

// orgVerifyKey is the organisation's current verify key.
func (v *Vault) orgVerifyKey() ed25519.PublicKey {
	if v.id != nil {
		return v.id.VerifyKey()
	}
	return v.staff.orgVerifyKey
}

// orgRecipient is the organisation's age recipient.
func (v *Vault) orgRecipient() string {
	if v.id != nil {
		return v.id.RecipientString()
	}
	return v.staff.wrap.OrgRecipient
}

// needOwner refuses what needs the organisation identity in a vault a
// staff member unlocked.
func (v *Vault) needOwner(what string) error {
	if v.id == nil {
		return fmt.Errorf("%s: %w", what, ErrNeedOwner)
	}
	return nil
}

// IsOwner reports whether the vault was unlocked with the organisation
// identity.
func (v *Vault) IsOwner() bool { return v.id != nil }

// CurrentStaff returns the staff member who unlocked the vault: the one
// whose key signs the audit entries this vault writes. Other parts (sync)
// use it to say who wrote what.
func (v *Vault) CurrentStaff() StaffMember {
	if v.staff != nil {
		return v.staff.member
	}
	return v.ownerMember()
}

func (v *Vault) ownerMember() StaffMember {
	vk := v.orgVerifyKey()
	return StaffMember{ID: keys.StaffID(vk), Name: keys.OwnerName, Recipient: v.orgRecipient(), VerifyKey: vk,
		Fingerprint: Fingerprint(v.orgRecipient(), vk), Owner: true, Added: v.meta.Created}
}

// OrgFingerprint is the organisation's fingerprint as on its card, for a
// staff member to compare once (SECURITY.md, "Staff", residual risk).
func (v *Vault) OrgFingerprint() string {
	return Fingerprint(v.orgRecipient(), v.orgVerifyKey())
}

// Staff returns the staff: the owner first, then every member by name,
// removed ones included (see StaffMember.Active).
func (v *Vault) Staff() ([]StaffMember, error) {
	var out []StaffMember
	err := v.view(func(txn *store.Txn) error {
		var err error
		out, err = v.staffRecords(txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return append([]StaffMember{v.ownerMember()}, out...), nil
}

func (v *Vault) staffRecords(txn *store.Txn) ([]StaffMember, error) {
	var out []StaffMember
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PStaff}, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if len(out) >= maxStaff {
			return nil, &CorruptError{What: "staff records", Err: fmt.Errorf("more than %d", maxStaff)}
		}
		var m StaffMember
		if _, err := itemJSON(it.Item(), v.keys.sys, &m); err != nil {
			return nil, err
		}
		if !bytes.Equal(staffKey(m.ID), it.Item().Key()) || keys.StaffID(m.VerifyKey) != m.ID {
			return nil, &CorruptError{What: "staff record", Err: errors.New("names another member than its key")}
		}
		out = append(out, m)
	}
	return out, nil
}

func (v *Vault) staffRecord(txn *store.Txn, id string) (StaffMember, error) {
	var m StaffMember
	err := v.getJSON(txn, staffKey(id), v.keys.sys, &m)
	if err == nil && m.ID != id {
		err = &CorruptError{What: "staff record", Err: errors.New("names another member than its key")}
	}
	return m, err
}

// AddStaff adds the colleague of a staff card and wraps the master key to
// them. A card of a removed member is refused unless readmit is set; a
// name or key already on the staff is refused.
func (v *Vault) AddStaff(card []byte, readmit bool) (StaffMember, error) {
	if err := v.needOwner("staff add"); err != nil {
		return StaffMember{}, err
	}
	c, err := keys.ParseCard(card)
	if err != nil {
		return StaffMember{}, err
	}
	m := StaffMember{ID: keys.StaffID(c.VerifyKey), Name: c.Name, Recipient: c.Recipient, VerifyKey: c.VerifyKey, Fingerprint: c.Fingerprint, Added: v.now(), SigningKeyBox: c.SigningKeyBox, Card: card}
	if m.ID == keys.StaffID(v.orgVerifyKey()) || c.Recipient == v.orgRecipient() {
		return StaffMember{}, fmt.Errorf("staff card %q: %w (it is the organisation's own key, the owner)", c.Name, ErrStaffExists)
	}
	err = v.commit(func(ch *change) error {
		all, err := v.staffRecords(ch.txn)
		if err != nil {
			return err
		}
		if len(all) >= maxStaff {
			return fmt.Errorf("staff add: the vault already has %d staff records", maxStaff)
		}
		for _, o := range all {
			same := o.ID == m.ID || o.Recipient == m.Recipient
			if same && o.ID == m.ID {
				m.PrevCards = keptCards(o) // entries of the earlier membership
			}
			switch {
			case same && o.Active():
				return fmt.Errorf("staff card %q: %w as %q", c.Name, ErrStaffExists, o.Name)
			case same && !readmit:
				return fmt.Errorf("staff card %q: its key %w (%q, on %s); it is taken back only when re-admission is asked for", c.Name, ErrStaffRemoved, o.Name, o.Removed.Format("2006-01-02"))
			case o.Active() && strings.EqualFold(o.Name, m.Name):
				return fmt.Errorf("staff name %q: %w with another key", c.Name, ErrStaffExists)
			}
		}
		head, err := v.auditHead(ch.txn)
		if err != nil {
			return err
		}
		m.AddedSeq = head.Seq + 1
		if err := ch.putJSON(staffKey(m.ID), v.keys.sys, m); err != nil {
			return err
		}
		ch.audit(OpStaffAdd, []string{m.ID}, card)
		return nil
	})
	if err != nil {
		return StaffMember{}, err
	}
	// The wrap comes after the record: a crash in between leaves a member
	// without a wrap, which the owner's next open writes.
	if err := v.refreshStaffWraps(); err != nil {
		return m, fmt.Errorf("staff %q added, but writing their key file failed (the next open retries): %w", m.Name, err)
	}
	return m, nil
}

// RemoveStaff removes the active member called name and rotates the master
// key (a rekey), so that their identity opens nothing written afterwards.
func (v *Vault) RemoveStaff(ctx context.Context, name string) (*RekeyStats, error) {
	if err := v.needOwner("staff rm"); err != nil {
		return nil, err
	}
	var m StaffMember
	err := v.view(func(txn *store.Txn) error {
		all, err := v.staffRecords(txn)
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.Active() && o.Name == name {
				m = o
				return nil
			}
		}
		return fmt.Errorf("staff %q: %w", name, ErrStaffNotFound)
	})
	if err != nil {
		return nil, err
	}
	// Their wrap goes first: from here on their identity no longer finds
	// a master key in this directory, whatever happens next.
	_ = shredFile(filepath.Join(v.dir, staffDir, m.wrapFile()))
	st, err := v.copyStore(ctx, nil, func(c *change) error {
		head, err := c.v.auditHead(c.txn)
		if err != nil {
			return err
		}
		m.Removed, m.RemovedSeq = v.now(), head.Seq+1
		if err := c.putJSON(staffKey(m.ID), c.v.keys.sys, m); err != nil {
			return err
		}
		c.audit(OpStaffRm, []string{m.ID}, []byte(m.Recipient))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := v.refreshStaffWraps(); err != nil {
		return st, fmt.Errorf("staff %q removed and the master key rotated, but writing the other members' key files failed (the next open retries): %w", name, err)
	}
	return st, nil
}

// vaultID is the vault's ID: the first 32 hex digits of the hash of its
// first audit entry (vault.init), which no rekey changes.
func (v *Vault) vaultID(txn *store.Txn) (string, error) {
	e, err := v.auditEntryAt(txn, 1)
	if err != nil {
		return "", fmt.Errorf("reading the first audit entry: %w", err)
	}
	return e.Hash()[:32], nil
}

// VaultID returns the vault's ID (see SECURITY.md, "Staff").
func (v *Vault) VaultID() (string, error) {
	var id string
	err := v.view(func(txn *store.Txn) error {
		var err error
		id, err = v.vaultID(txn)
		return err
	})
	return id, err
}

// refreshStaffWraps, run by the owner, writes the wrap of every active
// member whose wrap is missing or of an older store, and removes from
// staff/ what is not an active member's wrap (planted files, removed
// members' wraps). A read-only vault, or one a member unlocked, is left
// alone.
func (v *Vault) refreshStaffWraps() error {
	if v.id == nil || v.opts.ReadOnly {
		return nil
	}
	var all []StaffMember
	var vid string
	err := v.view(func(txn *store.Txn) error {
		var err error
		if all, err = v.staffRecords(txn); err != nil {
			return err
		}
		vid, err = v.vaultID(txn)
		return err
	})
	if err != nil {
		return err
	}
	dir := filepath.Join(v.dir, staffDir)
	// Never through a link: a staff/ planted as a link to another
	// directory would have its private files shredded as strays.
	if st, err := os.Lstat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is not a directory (a link or file planted in its place); staff key files were not written", dir)
	}
	want := map[string]bool{}
	for _, m := range all {
		if m.Active() {
			want[m.wrapFile()] = true
		}
	}
	if len(want) > 0 {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
	}
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			if !want[e.Name()] {
				p := filepath.Join(dir, e.Name())
				if fi, err := os.Lstat(p); err == nil && privateRegular(fi) {
					_ = shredFile(p)
				}
			}
		}
	}
	var failed []error
	for _, m := range all {
		if !m.Active() {
			continue
		}
		p := filepath.Join(dir, m.wrapFile())
		if m.WrapGeneration == v.binding.Generation && wrapFileIs(p, m.WrapSHA256) {
			continue
		}
		sum, err := v.writeWrap(p, vid, m)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", m.Name, err))
			continue
		}
		m.WrapGeneration = v.binding.Generation
		m.WrapSHA256 = sum
		mm := m
		if err := v.commitQuiet(func(txn *store.Txn) error {
			return (&change{v: v, txn: txn}).putJSON(staffKey(mm.ID), v.keys.sys, mm)
		}); err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

// commitQuiet writes bookkeeping that records nothing a user did (the
// generation of a wrap file): a transaction without an audit entry.
func (v *Vault) commitQuiet(fn func(txn *store.Txn) error) error {
	if err := v.live(); err != nil {
		return err
	}
	txn := v.db.NewTransaction(true)
	defer txn.Discard()
	if err := fn(txn); err != nil {
		return err
	}
	return txn.Commit()
}

func (v *Vault) writeWrap(path, vid string, m StaffMember) (string, error) {
	r, err := crypto.ParseMemberRecipient(m.Recipient)
	if err != nil {
		return "", err
	}
	w := keys.Wrap{SigningKey: m.SigningKeyBox, Format: keys.WrapFormat, Version: 1, Vault: vid, Staff: m.ID, Name: m.Name, DB: v.dbName,
		Generation: v.binding.Generation, MasterKey: v.mk[:], OrgRecipient: v.orgRecipient(), OrgVerifyKey: v.orgVerifyKey()}
	pt, err := json.Marshal(w)
	if err != nil {
		return "", err
	}
	ct, err := crypto.EncryptToRecipients(pt, r)
	crypto.Wipe(pt)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(ct)
	return hex.EncodeToString(sum[:]), replaceFileOverwriting(path, ct)
}

// unlockStaff unlocks the vault with a staff member's own identity: the
// wrap named by their ID gives the master key and the store; bindStore and
// checkStaffSession then check it against the organisation's signatures
// and the store.
func (v *Vault) unlockStaff(id *crypto.Identity) error {
	// A plugin identity learns its signing key, and so its staff ID,
	// from its wrap, which is named by its recipient instead.
	sid := keys.StaffID(id.VerifyKey())
	name := sid + staffWrapExt
	if id.Plugin() {
		name = keys.PluginWrapName(id.RecipientString()) + staffWrapExt
	}
	p := filepath.Join(v.dir, staffDir, name)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrWrongIdentity
	}
	damaged := func(err error) error {
		return &CorruptError{What: "staff key file " + filepath.Join(staffDir, name), Err: err}
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return damaged(errors.New("is not a regular file"))
	}
	ct, err := readSmallFile(p, maxWrapFile)
	if err != nil {
		return damaged(err)
	}
	pt, err := crypto.DecryptWithIdentity(ct, id.AgeIdentity(), keys.MaxWrapSize)
	if perr := pluginMissing(err); perr != nil {
		return perr
	}
	var nm *age.NoIdentityMatchError
	if errors.As(err, &nm) {
		return damaged(errors.New("is not encrypted to this identity"))
	}
	if err != nil {
		return damaged(err)
	}
	w, err := keys.ParseWrap(pt)
	crypto.Wipe(pt)
	if err != nil {
		return damaged(err)
	}
	if id.Plugin() {
		if len(w.SigningKey) == 0 {
			return damaged(errors.New("holds no signing key for a plugin identity"))
		}
		if err := keys.OpenSigningKey(w.SigningKey, id); err != nil {
			if perr := pluginMissing(err); perr != nil {
				return perr
			}
			return damaged(err)
		}
		sid = keys.StaffID(id.VerifyKey())
	}
	if w.Staff != sid {
		return damaged(fmt.Errorf("names staff member %s, not the identity that opened it (file renamed)", w.Staff))
	}
	if _, err := crypto.ParseRecipient(w.OrgRecipient); err != nil {
		return damaged(errors.New("organisation recipient is malformed"))
	}
	copy(v.mk[:], w.MasterKey)
	crypto.Wipe(w.MasterKey)
	w.MasterKey = nil
	v.dbName = w.DB
	v.keys = deriveKeys(v.mk)
	v.id = nil
	v.staff = &staffSession{id: id, wrap: *w, orgVerifyKey: ed25519.PublicKey(w.OrgVerifyKey), wrapFile: name, wrapSum: sha256.Sum256(ct),
		member: StaffMember{ID: sid, Name: w.Name, Recipient: id.RecipientString(), VerifyKey: id.VerifyKey()}}
	return nil
}

// checkStaffSession runs once the store is open in a vault a member
// unlocked: the wrap must name this vault and a binding of its generation,
// and the member must be an active staff member with this recipient.
func (v *Vault) checkStaffSession() error {
	s := v.staff
	if s == nil {
		return nil
	}
	damaged := func(reason string) error {
		return &CorruptError{What: "staff key file " + filepath.Join(staffDir, s.wrapFile), Err: errors.New(reason)}
	}
	if s.wrap.Generation != v.binding.Generation {
		return staleWrap(s.wrapFile, fmt.Errorf("is of store generation %d, the store's binding of %d", s.wrap.Generation, v.binding.Generation))
	}
	return v.view(func(txn *store.Txn) error {
		vid, err := v.vaultID(txn)
		if err != nil {
			return err
		}
		if vid != s.wrap.Vault {
			return damaged("names another vault (a key file from another vault)")
		}
		m, err := v.staffRecord(txn, s.member.ID)
		if errors.Is(err, errNoRecord) {
			return damaged("names a staff member this vault does not know")
		}
		if err != nil {
			return err
		}
		if !m.Active() {
			return fmt.Errorf("%w (staff member %q was removed on %s)", ErrWrongIdentity, m.Name, m.Removed.Format("2006-01-02"))
		}
		if m.Recipient != s.member.Recipient || !bytes.Equal(m.VerifyKey, s.member.VerifyKey) || m.Plugin() != s.id.Plugin() {
			return damaged("the staff record names other keys")
		}
		s.member = m
		return nil
	})
}

// signer returns who signs the audit entries this vault writes: the
// member's identity and their name and key for the entry, or the
// organisation identity (no staff key) for the owner.
func (v *Vault) signer() (id *crypto.Identity, name string, staffKey []byte) {
	if v.staff != nil {
		return v.staff.id, v.staff.member.Name, v.staff.id.VerifyKey()
	}
	return v.id, keys.OwnerName, nil
}

// ReadIdentityFile reads an age identity file (classic or post-quantum,
// as age-keygen writes it): a staff member's own identity.
func ReadIdentityFile(path string) (*crypto.Identity, error) {
	b, err := readSmallFile(path, maxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	defer crypto.Wipe(b)
	id, err := crypto.ParseIdentity(b)
	if err != nil {
		return nil, fmt.Errorf("identity file %s: %w", path, err)
	}
	return id, nil
}

// ReadMemberIdentityFile reads a staff member's own identity file: what
// ReadIdentityFile reads, or an age plugin identity with its recipient in
// a comment (crypto.ParseMemberIdentity); ui receives the plugin's
// prompts.
func ReadMemberIdentityFile(path string, ui *plugin.ClientUI) (*crypto.Identity, error) {
	b, err := readSmallFile(path, maxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	defer crypto.Wipe(b)
	id, err := crypto.ParseMemberIdentity(b, ui)
	if err != nil {
		return nil, fmt.Errorf("identity file %s: %w", path, err)
	}
	return id, nil
}

// MaxStaffCardSize is the largest staff card read.
const MaxStaffCardSize = keys.MaxCardSize

// Errors of staff cards.
var (
	ErrBadStaffCard       = keys.ErrBadCard
	ErrStaffCardSignature = keys.ErrCardSignature
)

// SignAsStaff signs msg with the Ed25519 key of the staff member who
// unlocked the vault (the organisation key for the owner); the public half
// is CurrentStaff().VerifyKey. Callers put a domain label of their own in
// front of msg, so that no such signature is valid as an audit entry.
func (v *Vault) SignAsStaff(msg []byte) []byte {
	id, _, _ := v.signer()
	return id.Sign(msg)
}
