// Package audit is the vault's audit vocabulary and formats, with no
// storage: the hash-chained, signed audit entry and its canonical
// encoding, the chain's head, verification of a chain handed over entry
// by entry, the operations (Op) with their properties, the witness file
// partners exchange, and the chain-of-custody report with its Markdown
// rendering and verification. Appending entries, reading them from the
// store and storing witnessed heads are the vault's.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"github.com/casevault/casevault/schema/bounds"
)

// An Entry is one link of the vault's hash chain. Its hash covers all
// fields including the signature; Prev is the hash of the entry before
// (64 zeros for the first). Sig is the organisation's Ed25519 signature of
// the entry without Sig (see [Entry.SignedMessage]).
type Entry struct {
	Seq           uint64    `json:"seq"`
	Time          time.Time `json:"time"`
	Op            Op        `json:"op"`
	Actor         string    `json:"actor"`
	Targets       []string  `json:"targets,omitempty"`
	ContentSHA256 string    `json:"content_sha256,omitempty"`
	// Staff names the staff member who made the entry ("owner" for the
	// holder of the organisation identity); empty in entries of the
	// previous format. StaffKey is the member's Ed25519 key, which then
	// made Sig; empty when the organisation key signed (the owner's
	// entries and every older one). See SECURITY.md, "Signed audit
	// entries". Both are omitted when empty, so older entries keep their
	// canonical JSON.
	Staff    string `json:"staff,omitempty"`
	StaffKey []byte `json:"staff_key,omitempty"`
	Prev     string `json:"prev"`
	Sig      []byte `json:"sig"`
	// SignedBy is not part of the entry (never in its JSON): set by
	// readers that show entries, it is the name the organisation bound
	// to StaffKey by the member's staff.add entry ("?" when that does not
	// hold), not the Staff the entry claims.
	SignedBy string `json:"-"`
}

// Head is the newest entry's sequence number and hash.
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// ZeroHash is the Prev of the first entry and the hash of the empty log's
// head.
const ZeroHash = "0000000000000000000000000000000000000000000000000000000000000000"

// SigLabel is the domain label in front of every signed entry.
const SigLabel = "casevault audit entry v1\n"

// jsonLimits bound JSON read from outside (witness files, custody
// reports), as the vault's other readers do.
var jsonLimits = bounds.Wire

// JSON returns the entry's canonical JSON, signature included: the bytes
// whose SHA-256 is the entry's hash. It is Go's encoding/json of the
// struct, fields in declaration order, no spaces.
func (e Entry) JSON() []byte {
	b, _ := json.Marshal(e)
	return b
}

// UnsignedJSON returns the entry's canonical JSON with "sig":null: what the
// signature covers after the label.
func (e Entry) UnsignedJSON() []byte {
	e.Sig = nil
	return e.JSON()
}

// SignedMessage returns exactly what Sig signs: the label
// "casevault audit entry v1\n" followed by [Entry.UnsignedJSON].
func (e Entry) SignedMessage() []byte {
	return append([]byte(SigLabel), e.UnsignedJSON()...)
}

// Hash returns the entry's hash: SHA-256 of its JSON, signature included.
func (e Entry) Hash() string { return hashHex(e.JSON()) }

// HasTarget reports whether id is one of the entry's targets.
func (e Entry) HasTarget(id string) bool { return slices.Contains(e.Targets, id) }

// A Filter selects audit entries. Zero fields select everything.
type Filter struct {
	// Targets keeps entries naming at least one of these IDs.
	Targets []string
	// Since keeps entries at or after this time.
	Since time.Time
}

// Match reports whether e passes the filter.
func (f Filter) Match(e Entry) bool {
	if !f.Since.IsZero() && e.Time.Before(f.Since) {
		return false
	}
	if len(f.Targets) == 0 {
		return true
	}
	for _, t := range f.Targets {
		if e.HasTarget(t) {
			return true
		}
	}
	return false
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
