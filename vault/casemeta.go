package vault

import (
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
)

// CaseMeta is what the vault keeps about a case besides its revisions,
// sealed under the system key at caseMetaKey: the identifiers it is
// published under, and whether it is quarantined.
type CaseMeta struct {
	// PublicID and Pseudonym are the case's identifiers in publications,
	// drawn at random (never derived from the case ID or a key) for the
	// publication consent in Consent. When the consent changes, the next
	// publish draws new ones, so that a page published under one consent
	// cannot be linked to a page published under another.
	PublicID  string `json:"public_id,omitempty"`
	Pseudonym string `json:"pseudonym,omitempty"`
	Consent   string `json:"consent,omitempty"`
	// Quarantine is set on a case received from a partner organisation
	// that was removed: the case is kept, but never published, shared or
	// bundled until released.
	Quarantine *Quarantine `json:"quarantine,omitempty"`
}

// A Quarantine records why and since when a case is quarantined.
type Quarantine struct {
	// Org is the removed organisation the case came from.
	Org   string    `json:"org"`
	Since time.Time `json:"since"`
}

// caseMeta returns the metadata of case id (empty when none is stored).
func (v *Vault) caseMeta(txn *store.Txn, id CaseID) (CaseMeta, error) {
	var m CaseMeta
	err := v.getJSON(txn, caseMetaKey(id), v.keys.sys, &m)
	if errors.Is(err, errNoRecord) {
		return CaseMeta{}, nil
	}
	return m, err
}

// CaseMeta returns the stored metadata of case id.
func (v *Vault) CaseMeta(id CaseID) (CaseMeta, error) {
	var m CaseMeta
	err := v.view(func(txn *store.Txn) error {
		if _, err := v.caseKey(txn, id); err != nil {
			return err
		}
		var err error
		m, err = v.caseMeta(txn, id)
		return err
	})
	return m, err
}

// publicIdentifiers returns m with identifiers for publishing under
// consent: the stored ones when they were drawn for that consent, else new
// random ones. changed reports that m must be stored.
func publicIdentifiers(m CaseMeta, consent string) (_ CaseMeta, changed bool) {
	if m.PublicID != "" && m.Pseudonym != "" && m.Consent == consent {
		return m, false
	}
	m.PublicID = "p" + randomID()
	m.Pseudonym = "Anonymous #" + strings.ToUpper(randomID()[:6])
	m.Consent = consent
	return m, true
}

// randomID returns idLen random bytes in the ID alphabet.
func randomID() string {
	b := make([]byte, idLen)
	_, _ = rand.Read(b)
	return idEncoding.EncodeToString(b)
}

// QuarantinedError reports a case that is quarantined (it came from a
// removed partner) being published, shared or exported in a bundle.
type QuarantinedError struct{ ID, Org string }

func (e *QuarantinedError) Error() string {
	return "case " + e.ID + " is quarantined (it came from " + quoteName(e.Org) + ", which was removed) and is never published or shared until released"
}

func quoteName(s string) string { return "\"" + s + "\"" }
