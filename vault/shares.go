package vault

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// checkShareable reports why the shared copy of a case would not be a
// valid case file (for example, person.name left out).
func checkShareable(id CaseID, shared *schema.Case) error {
	if _, err := schema.FromJSON(shared.Canonical()); err != nil {
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			return fmt.Errorf("case %s: the shared fields do not make a valid case file (person.name must be among them): %w", id, err)
		}
		return err
	}
	return nil
}

// ShareCase records that case id goes to organisation org with the named
// fields (none: all public and restricted fields). A second share of the
// same case with the same organisation replaces the first.
func (v *Vault) ShareCase(id CaseID, org string, fields []string) (*Share, error) {
	fields, err := CheckFields(fields)
	if err != nil {
		return nil, err
	}
	s := &Share{Case: id.String(), Org: org, Fields: fields, Created: v.now(), Author: v.author()}
	err = v.commit(func(c *change) error {
		if _, err := v.unambiguousOrg(c.txn, org); err != nil {
			return err
		}
		dk, err := v.caseKey(c.txn, id)
		if err != nil {
			return err
		}
		if err := v.refuseQuarantined(c.txn, id); err != nil {
			return err
		}
		cur, err := v.latestRevision(c.txn, id, dk)
		if err != nil {
			return err
		}
		doc, err := cur.Case()
		if err != nil {
			return &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		if err := checkShareable(id, s.Apply(doc)); err != nil {
			return err
		}
		if err := c.putJSON(shareKey(id, v.orgMAC(org)), v.keys.sys, s); err != nil {
			return err
		}
		c.audit(OpShare, []string{id.String(), org}, []byte(strings.Join(fields, ",")))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Unshare removes the share of case id with organisation org. Bundles
// already sent are not recalled.
func (v *Vault) Unshare(id CaseID, org string) error {
	return v.commit(func(c *change) error {
		k := shareKey(id, v.orgMAC(org))
		if _, err := c.txn.Get(k); errors.Is(err, store.ErrKeyNotFound) {
			return &NotFoundError{Kind: NotFoundShare, ID: fmt.Sprintf("of case %s with %q", id, org)}
		} else if err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
		c.audit(OpUnshare, []string{id.String(), org}, nil)
		return nil
	})
}

// Shares returns the shares of case id (when not nil) with organisation
// org (when not empty), sorted by case and organisation.
func (v *Vault) Shares(id *CaseID, org string) ([]Share, error) {
	var out []Share
	err := v.view(func(txn *store.Txn) error {
		var mac []byte
		if org != "" {
			if _, err := v.activeOrg(txn, org); err != nil {
				return err
			}
			mac = v.orgMAC(org)
		}
		var err error
		out, err = v.shares(txn, id, mac)
		return err
	})
	return out, err
}

func (v *Vault) shares(txn *store.Txn, id *CaseID, orgMAC []byte) ([]Share, error) {
	pfx := []byte{pShare}
	if id != nil {
		pfx = sharePrefix(*id)
	}
	var out []Share
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: true})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().KeyCopy(nil)
		if len(k) != 1+idLen+8 {
			return nil, &CorruptError{What: describeKey(k), Err: errors.New("malformed key")}
		}
		if orgMAC != nil && !bytes.Equal(k[1+idLen:], orgMAC) {
			continue
		}
		var s Share
		if err := v.getJSON(txn, k, v.keys.sys, &s); err != nil {
			return nil, err
		}
		if s.Case != CaseID(k[1:1+idLen]).String() || !bytes.Equal(v.orgMAC(s.Org), k[1+idLen:]) {
			return nil, &CorruptError{What: describeKey(k), Err: errors.New("share does not match its key")}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Case != out[j].Case {
			return out[i].Case < out[j].Case
		}
		return out[i].Org < out[j].Org
	})
	return out, nil
}
