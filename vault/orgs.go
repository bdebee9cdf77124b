package vault

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/errs"
	partner "github.com/casevault/casevault/vault/internal/partners"
	"github.com/casevault/casevault/vault/internal/store"
)

// ErrBadKeys means keys given by hand are not an age recipient or an
// Ed25519 verification key.
var ErrBadKeys = errs.New(errs.ErrInvalid, "invalid organisation keys")

// CardFromKeys makes an unsigned card from keys given by hand (org add NAME
// --recipient R --verify-key K), checking each of them.
func CardFromKeys(org, recipient, verifyKey string) (*Card, error) {
	if err := CheckOrgName(org); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKeys, err)
	}
	recipient = strings.TrimSpace(recipient)
	if _, err := crypto.ParseRecipient(recipient); err != nil {
		return nil, fmt.Errorf("%w: recipient %q is not an age recipient (age1… or age1pq1…): %v", ErrBadKeys, shorten(recipient), err)
	}
	vk, err := ParseVerifyKey(verifyKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKeys, err)
	}
	return &Card{Org: org, Recipient: recipient, VerifyKey: vk, Fingerprint: Fingerprint(recipient, vk)}, nil
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// AddOrg records a partner organisation from its (verified) card. The name
// must not be in use by another known organisation, and the keys must not
// be this vault's own. A rotation card (Card.PreviousVerifyKey set, both
// signatures checked by ParseCard) whose previous key is the stored key of
// the organisation of that name updates its keys (Org.Updated is set).
func (v *Vault) AddOrg(card *Card) (*Org, error) {
	if err := v.needOwner("org add"); err != nil {
		return nil, err
	}
	if card == nil {
		return nil, errors.New("no card")
	}
	if err := CheckOrgName(card.Org); err != nil {
		return nil, err
	}
	if _, err := crypto.ParseRecipient(card.Recipient); err != nil {
		return nil, fmt.Errorf("recipient: %v", err)
	}
	if len(card.VerifyKey) != ed25519.PublicKeySize {
		return nil, errors.New("verification key is not an Ed25519 public key")
	}
	if card.Recipient == v.meta.Recipient || bytes.Equal(card.VerifyKey, v.id.VerifyKey()) {
		return nil, errors.New("this card holds this vault's own keys; add the partner's card instead")
	}
	o := &Org{Name: card.Org, Recipient: card.Recipient, VerifyKey: bytes.Clone(card.VerifyKey),
		Fingerprint: Fingerprint(card.Recipient, card.VerifyKey), Added: v.now()}
	err := v.commit(func(c *change) error {
		mac := v.orgMAC(o.Name)
		var old Org
		err := v.getJSON(c.txn, orgKey(mac), v.keys.sys, &old)
		switch {
		case err == nil && old.Removed == nil && len(card.PreviousVerifyKey) > 0 && bytes.Equal(old.VerifyKey, card.PreviousVerifyKey):
			// A rotation card signed by the key we know: an update of the
			// same organisation (ParseCard checked both signatures).
			o.Added = old.Added
			o.Updated = ptrTime(v.now())
			if err := c.putJSON(orgKey(mac), v.keys.sys, o); err != nil {
				return err
			}
			c.audit(OpOrgUpdate, []string{o.Name}, []byte(o.Recipient+"\n"+o.Fingerprint))
			return nil
		case err == nil && old.Removed == nil && len(card.PreviousVerifyKey) > 0:
			return fmt.Errorf("organisation %q is known with other keys than the ones this rotation card was signed with: ask the partner for the card again and compare the fingerprint", o.Name)
		case err == nil && old.Removed == nil:
			return &OrgExistsError{Name: o.Name}
		case err != nil && !errors.Is(err, errNoRecord):
			return err
		}
		others, err := v.orgs(c.txn)
		if err != nil {
			return err
		}
		for _, x := range others {
			if x.Removed == nil && bytes.Equal(x.VerifyKey, o.VerifyKey) {
				return fmt.Errorf("these keys are already known as organisation %q", x.Name)
			}
			if x.Removed == nil && x.Recipient == o.Recipient {
				// Bundles "to" the new name would be readable by the
				// organisation already known by this key (issue 11, 05).
				return fmt.Errorf("this recipient (encryption key) is already known as organisation %q: one key, one organisation", x.Name)
			}
		}
		if le := partner.Lookalike(o.Name, v.meta.Org, others); le != nil {
			return le
		}
		if err := c.putJSON(orgKey(mac), v.keys.sys, o); err != nil {
			return err
		}
		c.audit(OpOrgAdd, []string{o.Name}, []byte(o.Recipient+"\n"+o.Fingerprint))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Org returns the known organisation name. A removed organisation is not
// found.
func (v *Vault) Org(name string) (*Org, error) {
	var o *Org
	err := v.view(func(txn *store.Txn) error {
		var err error
		o, err = v.activeOrg(txn, name)
		return err
	})
	return o, err
}

func (v *Vault) activeOrg(txn *store.Txn, name string) (*Org, error) {
	var o Org
	err := v.getJSON(txn, orgKey(v.orgMAC(name)), v.keys.sys, &o)
	if errors.Is(err, errNoRecord) || (err == nil && o.Removed != nil) {
		return nil, &NotFoundError{Kind: NotFoundOrg, ID: fmt.Sprintf("%q", name)}
	}
	if err != nil {
		return nil, err
	}
	if o.Name != name {
		return nil, &CorruptError{What: "organisation record", Err: errors.New("name does not match its key")}
	}
	return &o, nil
}

// Orgs returns the known organisations sorted by name; removed ones only
// when withRemoved is true.
func (v *Vault) Orgs(withRemoved bool) ([]Org, error) {
	var out []Org
	err := v.view(func(txn *store.Txn) error {
		all, err := v.orgs(txn)
		for _, o := range all {
			if withRemoved || o.Removed == nil {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

func (v *Vault) orgs(txn *store.Txn) ([]Org, error) {
	var out []Org
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pOrg}, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		var o Org
		if err := v.getJSON(txn, k, v.keys.sys, &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// orgByVerifyKey returns the organisation, removed or not, whose
// verification key is vk, or nil.
func (v *Vault) orgByVerifyKey(txn *store.Txn, vk []byte) (*Org, error) {
	all, err := v.orgs(txn)
	if err != nil {
		return nil, err
	}
	var removed *Org
	for i := range all {
		if bytes.Equal(all[i].VerifyKey, vk) {
			if all[i].Removed == nil {
				return &all[i], nil
			}
			removed = &all[i]
		}
	}
	return removed, nil
}

// RemoveOrg removes a partner organisation and its shares. Its record is
// kept, marked removed, so that bundles from it are refused with a clear
// message; bundles already sent to it cannot be recalled.
func (v *Vault) RemoveOrg(name string) error {
	return v.commit(func(c *change) error {
		o, err := v.activeOrg(c.txn, name)
		if err != nil {
			return err
		}
		mac := v.orgMAC(name)
		shares, err := v.shares(c.txn, nil, mac)
		if err != nil {
			return err
		}
		for _, s := range shares {
			id, _ := ParseCaseID(s.Case)
			if err := c.del(shareKey(id, mac)); err != nil {
				return err
			}
		}
		now := v.now()
		o.Removed = &now
		if err := c.putJSON(orgKey(mac), v.keys.sys, o); err != nil {
			return err
		}
		c.audit(OpOrgRm, []string{name}, []byte(o.Recipient+"\n"+o.Fingerprint))
		return nil
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

// unambiguousOrg is activeOrg for commands that send data to an
// organisation (share, bundle export): it also refuses a name that another
// known organisation's looks like, which vaults of earlier versions may
// hold.
func (v *Vault) unambiguousOrg(txn *store.Txn, name string) (*Org, error) {
	o, err := v.activeOrg(txn, name)
	if err != nil {
		return nil, err
	}
	orgs, err := v.orgs(txn)
	if err != nil {
		return nil, err
	}
	if le := partner.Lookalike(o.Name, v.meta.Org, orgs); le != nil {
		le.Ambiguous = true
		return nil, le
	}
	return o, nil
}
