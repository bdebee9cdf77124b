package cases

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/casevault/casevault/vault/internal/ids"
)

// Meta is what the vault keeps about a case besides its revisions,
// sealed under the system key: the identifiers it is published under,
// and whether it is quarantined.
type Meta struct {
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

// PublicIdentifiers returns m with identifiers for publishing under
// consent: the stored ones when they were drawn for that consent, else new
// random ones. changed reports that m must be stored.
func PublicIdentifiers(m Meta, consent string) (_ Meta, changed bool) {
	if m.PublicID != "" && m.Pseudonym != "" && m.Consent == consent {
		return m, false
	}
	m.PublicID = "p" + RandomID()
	m.Pseudonym = "Anonymous #" + strings.ToUpper(RandomID()[:6])
	m.Consent = consent
	return m, true
}

// RandomID returns ids.Len random bytes in the ID alphabet.
func RandomID() string {
	b := make([]byte, ids.Len)
	_, _ = rand.Read(b)
	return ids.Encoding.EncodeToString(b)
}

// QuarantinedError reports a case that is quarantined (it came from a
// removed partner) being published, shared or exported in a bundle.
type QuarantinedError struct{ ID, Org string }

func (e *QuarantinedError) Error() string {
	return "case " + e.ID + " is quarantined (it came from " + quoteName(e.Org) + ", which was removed) and is never published or shared until released"
}

func quoteName(s string) string { return "\"" + s + "\"" }
