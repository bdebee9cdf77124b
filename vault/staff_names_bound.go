package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/casevault/casevault/vault/internal/keys"
	"github.com/casevault/casevault/vault/internal/store"
)

// staffBoundName returns the name the organisation bound to staff member
// id: the name on the card whose SHA-256 its organisation-signed staff.add
// entry holds (addSHA256), kept in the member's record; for a record of
// the previous version, which keeps no card, the record's name.
func (v *Vault) staffBoundName(txn *store.Txn, id, addSHA256 string) (string, error) {
	m, err := v.staffRecord(txn, id)
	if errors.Is(err, errNoRecord) {
		return "", errors.New("it has no staff record")
	}
	if err != nil {
		return "", err
	}
	if len(m.Card) == 0 {
		return m.Name, nil
	}
	var card []byte
	for _, cd := range append([][]byte{m.Card}, m.PrevCards...) {
		if sum := sha256.Sum256(cd); hex.EncodeToString(sum[:]) == addSHA256 {
			card = cd
		}
	}
	if card == nil {
		return "", errors.New("the card in its staff record is not the one its staff.add entry names")
	}
	c, err := keys.ParseCard(card)
	if err != nil {
		return "", fmt.Errorf("the card in its staff record: %w", err)
	}
	if keys.StaffID(c.VerifyKey) != id {
		return "", errors.New("the card in its staff record is of another key")
	}
	return c.Name, nil
}

// boundSigner returns the name to show for the signer of audit entry e:
// for an entry signed by a staff member's key, the name the organisation
// bound to that key (not the entry's claim); otherwise the entry's.
func (v *Vault) boundSigner(txn *store.Txn, e AuditEntry, added map[string]string) string {
	if len(e.StaffKey) == 0 {
		return e.Staff
	}
	name, err := v.staffBoundName(txn, keys.StaffID(e.StaffKey), added[keys.StaffID(e.StaffKey)])
	if err != nil {
		return "?" // shown unbound; audit verify names the entry
	}
	return name
}

// auditEntriesBound is AuditEntries with SignedBy set on every entry
// signed by a staff member's key.
func (v *Vault) auditEntriesBound(fn func(AuditEntry) error) error {
	return v.view(func(txn *store.Txn) error {
		added := map[string]string{}
		return v.auditWalk(txn, func(e AuditEntry) error {
			if len(e.StaffKey) == 0 && e.Op == OpStaffAdd && len(e.Targets) > 0 {
				added[e.Targets[0]] = e.ContentSHA256
			}
			if len(e.StaffKey) > 0 {
				e.SignedBy = v.boundSigner(txn, e, added)
			}
			return fn(e)
		})
	})
}

// keptCards are the cards of a staff record to keep on re-admission.
func keptCards(o StaffMember) [][]byte {
	if len(o.Card) == 0 {
		return o.PrevCards
	}
	return append(append([][]byte(nil), o.PrevCards...), o.Card)
}
