// Package ids holds the random identifiers of cases, evidence items and
// bundles: their generation, text form and parsing. The byte form is what
// the vault's keys hold; nothing in it is derived from the data it names.
package ids

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
)

// Len is the number of random bytes in every identifier (80 bits).
const Len = 10

// Encoding is the ID alphabet: lowercase base32 without padding.
var Encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// An ID is a random identifier: no counter, no timestamp, nothing derived
// from the data it names.
type ID [Len]byte

// CaseID names a case; its text form is "c" followed by 16 base32 letters.
type CaseID ID

// EvidenceID names an evidence item ("e…").
type EvidenceID ID

// BundleID names a bundle ("b…").
type BundleID ID

func newID() ID {
	var id ID
	if _, err := rand.Read(id[:]); err != nil {
		panic("casevault: crypto/rand failed: " + err.Error())
	}
	return id
}

// NewCaseID returns a fresh random case ID.
func NewCaseID() CaseID { return CaseID(newID()) }

// NewEvidenceID returns a fresh random evidence ID.
func NewEvidenceID() EvidenceID { return EvidenceID(newID()) }

// NewBundleID returns a fresh random bundle ID.
func NewBundleID() BundleID { return BundleID(newID()) }

func (id CaseID) String() string     { return "c" + Encoding.EncodeToString(id[:]) }
func (id EvidenceID) String() string { return "e" + Encoding.EncodeToString(id[:]) }
func (id BundleID) String() string   { return "b" + Encoding.EncodeToString(id[:]) }

// Bytes returns the identifier's bytes, as the vault's keys hold them.
func (id EvidenceID) Bytes() []byte { return id[:] }

func parseID(s string, prefix byte, kind string) (ID, error) {
	var id ID
	s = strings.TrimSpace(s)
	if len(s) != 17 || s[0] != prefix {
		return id, &InvalidIDError{Kind: kind, Text: s}
	}
	b, err := Encoding.DecodeString(s[1:])
	if err != nil || len(b) != Len {
		return id, &InvalidIDError{Kind: kind, Text: s}
	}
	copy(id[:], b)
	return id, nil
}

// ParseCaseID parses the text form of a case ID.
func ParseCaseID(s string) (CaseID, error) {
	id, err := parseID(s, 'c', "case")
	return CaseID(id), err
}

// ParseEvidenceID parses the text form of an evidence ID.
func ParseEvidenceID(s string) (EvidenceID, error) {
	id, err := parseID(s, 'e', "evidence")
	return EvidenceID(id), err
}

// ParseBundleID parses the text form of a bundle ID.
func ParseBundleID(s string) (BundleID, error) {
	id, err := parseID(s, 'b', "bundle")
	return BundleID(id), err
}

// InvalidIDError reports text that is not a well-formed ID.
type InvalidIDError struct{ Kind, Text string }

func (e *InvalidIDError) Error() string {
	ex := map[string]string{"case": "c", "evidence": "e", "bundle": "b"}[e.Kind]
	return fmt.Sprintf("%q is not a %s ID (expected %q followed by 16 letters a-z and digits 2-7)", e.Text, e.Kind, ex)
}
