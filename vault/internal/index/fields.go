package index

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/casevault/casevault/schema"
)

// The fields a token is found in are recorded in its postings as field
// numbers: positions in FieldPaths, which lists every field of the case
// schema (paths without array indices, as in sensitivity_overrides:
// "charges.article", "mistreatment.description"), then the text fields of
// evidence metadata and a catch-all for text under a path the schema does
// not know. The list, and so the numbers, change only with the schema:
// the index records a digest of the list (FieldsDigest) and is rebuilt
// when it differs.

// Evidence fields in FieldPaths.
const (
	FieldEvidenceName        = "evidence.name"
	FieldEvidenceNote        = "evidence.note"
	FieldEvidenceCollectedBy = "evidence.collected_by"
	FieldEvidenceCollectedAt = "evidence.collected_at"
	FieldEvidenceSource      = "evidence.source"
	FieldEvidenceMediaType   = "evidence.media_type"
	FieldOther               = "other"
)

// skippedFields hold no text of the owner's: the format marker.
var skippedFields = map[string]bool{"schema": true}

type fieldTable struct {
	paths  []string
	number map[string]int
	digest [32]byte
}

var fields = sync.OnceValue(func() *fieldTable {
	t := &fieldTable{number: map[string]int{}}
	for _, f := range schema.Fields() {
		t.paths = append(t.paths, f.Path)
	}
	t.paths = append(t.paths, FieldEvidenceName, FieldEvidenceNote, FieldEvidenceCollectedBy,
		FieldEvidenceCollectedAt, FieldEvidenceSource, FieldEvidenceMediaType, FieldOther)
	for i, p := range t.paths {
		t.number[p] = i
	}
	t.digest = sha256.Sum256([]byte(strings.Join(t.paths, "\n")))
	return t
})

// FieldPaths returns the fields a search can be narrowed to (--field), in
// the order of their numbers.
func FieldPaths() []string { return slices.Clone(fields().paths) }

// FieldsDigest is the SHA-256 of the field list, recorded with the index.
func FieldsDigest() [32]byte { return fields().digest }

// FieldNumber returns the number of a field path, accepting "[]" after the
// name of a list ("charges[].article"), or false.
func FieldNumber(path string) (int, bool) {
	n, ok := fields().number[strings.ReplaceAll(path, "[]", "")]
	return n, ok
}

// fieldOf returns the number of the field that holds text found at path (a
// dotted path without indices): the path's own, or that of the nearest
// enclosing field the schema knows (a key of sensitivity_overrides), or
// FieldOther.
func fieldOf(path string) int {
	t := fields()
	for p := path; p != ""; {
		if n, ok := t.number[p]; ok {
			return n
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return t.number[FieldOther]
}

// A FieldSet is a set of field numbers.
type FieldSet [2]uint64

// maxFields is how many fields a FieldSet holds.
const maxFields = 128

// Add adds field n.
func (s *FieldSet) Add(n int) {
	if n >= 0 && n < maxFields {
		s[n/64] |= 1 << (n % 64)
	}
}

// Has reports whether the set holds field n.
func (s FieldSet) Has(n int) bool { return n >= 0 && n < maxFields && s[n/64]&(1<<(n%64)) != 0 }

// Union returns the fields of s or o.
func (s FieldSet) Union(o FieldSet) FieldSet { return FieldSet{s[0] | o[0], s[1] | o[1]} }

// Empty reports a set without fields.
func (s FieldSet) Empty() bool { return s == FieldSet{} }

// Numbers returns the fields in increasing order.
func (s FieldSet) Numbers() []int {
	var out []int
	for w, x := range s {
		for x != 0 {
			b := bits.TrailingZeros64(x)
			out = append(out, w*64+b)
			x &^= 1 << b
		}
	}
	return out
}

// Paths returns the field paths of the set.
func (s FieldSet) Paths() []string {
	t := fields()
	var out []string
	for _, n := range s.Numbers() {
		if n < len(t.paths) {
			out = append(out, t.paths[n])
		} else {
			out = append(out, "field "+strconv.Itoa(n))
		}
	}
	return out
}

// AppendFieldSet appends the encoding of s: the count of fields, then each
// field number, as uvarints.
func AppendFieldSet(b []byte, s FieldSet) []byte {
	ns := s.Numbers()
	b = binary.AppendUvarint(b, uint64(len(ns)))
	for _, n := range ns {
		b = binary.AppendUvarint(b, uint64(n))
	}
	return b
}

// ErrBadFieldSet is a field set encoding that does not decode.
var ErrBadFieldSet = errors.New("malformed field set in a search posting")

// readFieldSet decodes a field set from the start of b and returns the
// rest.
func readFieldSet(b []byte) (FieldSet, []byte, error) {
	var s FieldSet
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxFields {
		return s, b, ErrBadFieldSet
	}
	b = b[k:]
	for range n {
		f, k := binary.Uvarint(b)
		if k <= 0 || f >= maxFields {
			return s, b, ErrBadFieldSet
		}
		s.Add(int(f))
		b = b[k:]
	}
	return s, b, nil
}
