package vault

import "github.com/casevault/casevault/vault/internal/ids"

// The identifiers live in vault/internal/ids; these names are the API.

// idLen is the number of random bytes in every identifier (80 bits).
const idLen = ids.Len

// idEncoding is the ID alphabet.
var idEncoding = ids.Encoding

// An ID is a random identifier: no counter, no timestamp, nothing derived
// from the data it names.
type ID = ids.ID

// CaseID names a case; its text form is "c" followed by 16 base32 letters.
type CaseID = ids.CaseID

// EvidenceID names an evidence item ("e…").
type EvidenceID = ids.EvidenceID

// BundleID names a bundle ("b…").
type BundleID = ids.BundleID

// InvalidIDError reports text that is not a well-formed ID.
type InvalidIDError = ids.InvalidIDError

// NewCaseID returns a fresh random case ID.
func NewCaseID() CaseID { return ids.NewCaseID() }

// NewEvidenceID returns a fresh random evidence ID.
func NewEvidenceID() EvidenceID { return ids.NewEvidenceID() }

// NewBundleID returns a fresh random bundle ID.
func NewBundleID() BundleID { return ids.NewBundleID() }

// ParseCaseID parses the text form of a case ID.
func ParseCaseID(s string) (CaseID, error) { return ids.ParseCaseID(s) }

// ParseEvidenceID parses the text form of an evidence ID.
func ParseEvidenceID(s string) (EvidenceID, error) { return ids.ParseEvidenceID(s) }

// ParseBundleID parses the text form of a bundle ID.
func ParseBundleID(s string) (BundleID, error) { return ids.ParseBundleID(s) }
