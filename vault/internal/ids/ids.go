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
	if e.Kind == "bundle" {
		return fmt.Sprintf("%q is not a %s ID (expected %q followed by 16 letters a-z and digits 2-7)", e.Text, e.Kind, ex)
	}
	return fmt.Sprintf("%q is not a %s ID (expected %q followed by 16 letters a-z and digits 2-7, or the first %d or more characters of one)", e.Text, e.Kind, ex, MinPrefix)
}

// MinPrefix is the shortest prefix of an ID's text form (with its kind
// letter, as in "c7k2") that names an ID, like git's short hashes.
const MinPrefix = 4

// A Prefix is the start of an ID's text form: the range of IDs whose text
// starts with it. Full is set when the text is a whole ID (Lo == Hi).
type Prefix struct {
	Text   string
	Lo, Hi ID
	Full   bool
}

// Match reports whether id's text form starts with the prefix.
func (p Prefix) Match(id ID) bool {
	return string(id[:]) >= string(p.Lo[:]) && string(id[:]) <= string(p.Hi[:])
}

// ParsePrefix parses a whole ID or a prefix of at least MinPrefix
// characters of one whose kind letter is prefix; letters may be upper case.
// Every character must be of the ID alphabet, so a malformed prefix is
// refused before any lookup.
func ParsePrefix(s string, prefix byte, kind string) (Prefix, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	p := Prefix{Text: s}
	bad := &InvalidIDError{Kind: kind, Text: s}
	if len(s) < MinPrefix || len(s) > 17 || s[0] != prefix {
		return p, bad
	}
	body := s[1:]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return p, bad
		}
	}
	const letters = 16
	lo, err1 := Encoding.DecodeString(body + strings.Repeat("a", letters-len(body)))
	hi, err2 := Encoding.DecodeString(body + strings.Repeat("7", letters-len(body)))
	if err1 != nil || err2 != nil || len(lo) != Len || len(hi) != Len {
		return p, bad
	}
	copy(p.Lo[:], lo)
	copy(p.Hi[:], hi)
	if len(body) == letters {
		// 16 letters carry 80 bits exactly: a whole ID, which must
		// round-trip (no stray bits).
		if Encoding.EncodeToString(lo) != body {
			return p, bad
		}
		p.Full = true
	}
	return p, nil
}

// ParseCasePrefix parses a case ID or a prefix of one.
func ParseCasePrefix(s string) (Prefix, error) { return ParsePrefix(s, 'c', "case") }

// ParseEvidencePrefix parses an evidence ID or a prefix of one.
func ParseEvidencePrefix(s string) (Prefix, error) { return ParsePrefix(s, 'e', "evidence") }
