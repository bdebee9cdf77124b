package bulk

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math/bits"

	"github.com/casevault/casevault/schema"
)

// SumLen is how many bytes of a group's SHA-256 Check keeps: 128 bits,
// as hard to match with different records as the whole hash for anyone
// who changes the file between the check and the import.
const SumLen = 16

// Records are fingerprinted in groups: a group ends after groupRecords
// records or once its records hold groupBytes bytes, whichever comes
// first (the same boundaries in both passes of an unchanged file). The
// second pass holds a group's records until the whole group matched, so
// a group is what an import reads ahead of its batch; and the check keeps
// SumLen bytes a group rather than a record.
const (
	groupRecords = 64
	groupBytes   = 1 << 20
)

// Sums are the fingerprints of the records of an import file: whether
// each record was valid (a bit a record) and, for every group of records
// (see groupRecords), the first SumLen bytes of the SHA-256 of its
// records' SHA-256s, in order. The second pass of an import uses them to
// recognise the records the check validated (Verifier). Their memory is
// under half a byte a record (the check's memory besides is fixed: see
// Again), 400 KiB for a million records.
type Sums struct {
	n      int      // records
	valid  []uint64 // bit n-1: record n was valid
	groups []byte   // SumLen bytes a group
	// dup holds, by a 64-bit hash, the stable and charge keys
	// (StableKeys, ChargeKeys) that more than one valid record of the
	// file has: a Bloom filter, so a key of a single record may be in it
	// too (rarely; see Again).
	dup *bloom
}

// A groupHasher adds records to the groups of Sums.
type groupHasher struct {
	h            hash.Hash
	count, bytes int
}

// add adds a record's sum and size; it returns the group's digest when
// the record ends a group.
func (g *groupHasher) add(sum *[32]byte, size int) []byte {
	if g.h == nil {
		g.h = sha256.New()
	}
	g.h.Write(sum[:])
	g.count++
	g.bytes += size
	if g.count < groupRecords && g.bytes < groupBytes {
		return nil
	}
	return g.end()
}

// end returns the digest of a group begun and not ended (nil if none)
// and starts the next.
func (g *groupHasher) end() []byte {
	if g.count == 0 {
		return nil
	}
	d := g.h.Sum(nil)[:SumLen]
	g.h.Reset()
	g.count, g.bytes = 0, 0
	return d
}

// checker builds Sums during Check.
type checker struct {
	s    Sums
	g    groupHasher
	seen *bloom // stable keys seen once
}

func newChecker(fileSize int64) *checker {
	return &checker{s: Sums{dup: newBloom(fileSize)}, seen: newBloom(fileSize)}
}

// add records record n (the next one) with its sum and size.
func (c *checker) add(sum *[32]byte, size int, valid bool, keys ...string) {
	c.s.n++
	if valid {
		i := (c.s.n - 1) / 64
		for len(c.s.valid) <= i {
			c.s.valid = append(c.s.valid, 0)
		}
		c.s.valid[i] |= 1 << ((c.s.n - 1) % 64)
		for _, k := range keys {
			if k == "" {
				continue
			}
			x := keyHash(k)
			if c.seen.has(x) {
				c.s.dup.add(x)
			}
			c.seen.add(x)
		}
	}
	if d := c.g.add(sum, size); d != nil {
		c.s.groups = append(c.s.groups, d...)
	}
}

func (c *checker) done() Sums {
	c.s.groups = append(c.s.groups, c.g.end()...)
	c.seen = nil
	return c.s
}

func keyHash(k string) uint64 {
	h := sha256.Sum256([]byte(k))
	return binary.LittleEndian.Uint64(h[:8])
}

// Again says whether another valid record of the file has a stable key
// of doc (StableKeys): the import may then update doc's case again, so it
// writes its search postings where that update finds them at once rather
// than in the batch's posting groups. It is true for the last record of
// a key as well, and — the keys are kept in a Bloom filter of a fixed
// size, so that the check's memory does not grow with the file — now and
// then for a record whose keys no other record has: a false "true" costs
// only space.
func (s Sums) Again(doc *schema.Case) bool {
	return s.AgainKeys(StableKeys(doc))
}

// AgainKeys is Again for the stable keys of a record.
func (s Sums) AgainKeys(ext, h string) bool {
	if s.dup == nil {
		return false
	}
	for _, k := range []string{ext, h} {
		if k != "" && s.dup.has(keyHash(k)) {
			return true
		}
	}
	return false
}

// Shared says whether another valid record of the file may have one of
// doc's stable or charge keys (StableKeys, ChargeKeys). When it says no,
// no other record has one: an import that found none of them in the
// vault before it began needs not look for them again.
func (s Sums) Shared(doc *schema.Case) bool {
	ext, h := StableKeys(doc)
	if s.dup == nil || s.AgainKeys(ext, h) {
		return true
	}
	for _, k := range ChargeKeys(doc) {
		if s.dup.has(keyHash(k)) {
			return true
		}
	}
	return false
}

// Len is the number of records.
func (s Sums) Len() int { return s.n }

// Valid says whether record n (1-based) was valid in the check.
func (s Sums) Valid(n int) bool {
	if n < 1 || n > s.n {
		return false
	}
	i := (n - 1) / 64
	return i < len(s.valid) && s.valid[i]&(1<<((n-1)%64)) != 0
}

// A Verifier follows the second pass of an import through the groups of
// records the check fingerprinted: records are added in file order, and
// a group's records may be used once Add says the group matched.
type Verifier struct {
	s     Sums
	g     groupHasher
	group int // groups matched so far
	n     int // records added
}

// Verifier returns a verifier of the records of s.
func (s Sums) Verifier() *Verifier { return &Verifier{s: s} }

// Add adds the next record with its SHA-256 sum and size. It returns
// ended when the record ends a group, and ok false when the records
// differ from those the check read (then nothing of the group may be
// used).
func (v *Verifier) Add(sum [32]byte, size int) (ended, ok bool) {
	v.n++
	if v.n > v.s.n {
		return true, false
	}
	d := v.g.add(&sum, size)
	if d == nil {
		return false, true
	}
	return true, v.match(d)
}

func (v *Verifier) match(d []byte) bool {
	i := v.group
	v.group++
	return (i+1)*SumLen <= len(v.s.groups) && bytes.Equal(v.s.groups[i*SumLen:(i+1)*SumLen], d)
}

// Finish says whether the file ended where the check's did, its last
// group matching: the records of a last group that did not end before
// may then be used.
func (v *Verifier) Finish() bool {
	if v.n != v.s.n {
		return false
	}
	if d := v.g.end(); d != nil && !v.match(d) {
		return false
	}
	return v.group*SumLen == len(v.s.groups)
}

// bloom is a Bloom filter of 64-bit hashes with four probes.
type bloom struct {
	bits []uint64
	mask uint64
}

// newBloom sizes a filter for a file of size bytes: a bit for every 16
// bytes (a record of a generated file has about 1,600), at least 2^20
// and at most 2^26 bits (8 MiB).
func newBloom(size int64) *bloom {
	n := uint64(1) << 20
	if size > 0 {
		n = max(n, min(uint64(1)<<26, uint64(1)<<bits.Len64(uint64(size/16))))
	}
	return &bloom{bits: make([]uint64, n/64), mask: n - 1}
}

func (b *bloom) probes(x uint64, f func(i uint64)) {
	h1, h2 := x, x>>32|x<<32|1
	for i := range uint64(4) {
		f((h1 + i*h2) & b.mask)
	}
}

func (b *bloom) add(x uint64) {
	b.probes(x, func(i uint64) { b.bits[i/64] |= 1 << (i % 64) })
}

func (b *bloom) has(x uint64) bool {
	in := true
	b.probes(x, func(i uint64) { in = in && b.bits[i/64]&(1<<(i%64)) != 0 })
	return in
}

// A KeyFilter is a Bloom filter of store keys that are MACs (uniformly
// random bytes): Has may say yes for a key never added, never no for one
// added. Its size is fixed when it is made.
type KeyFilter struct{ b *bloom }

// NewKeyFilter makes a filter for about n keys: 16 bits a key, at least
// 2^16 and at most 2^26 bits (8 MiB).
func NewKeyFilter(n int) KeyFilter {
	m := uint64(1) << 16
	m = max(m, min(uint64(1)<<26, uint64(1)<<bits.Len64(uint64(n)*16)))
	return KeyFilter{&bloom{bits: make([]uint64, m/64), mask: m - 1}}
}

func macHash(mac []byte) uint64 {
	if len(mac) >= 8 {
		return binary.LittleEndian.Uint64(mac)
	}
	return keyHash(string(mac))
}

// Add adds a key.
func (f KeyFilter) Add(mac []byte) { f.b.add(macHash(mac)) }

// Has says whether the key may have been added.
func (f KeyFilter) Has(mac []byte) bool { return f.b != nil && f.b.has(macHash(mac)) }
