package bulk

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
)

// SumLen is how many bytes of a record's SHA-256 Check keeps: 128 bits,
// as hard to match with a different record as the whole hash for anyone
// who changes the file between the check and the import, at half the
// memory (16 MiB for a million records).
const SumLen = 16

// Sums are the fingerprints of the records of an import file, in order:
// the first SumLen bytes of each valid record's SHA-256, zeros for an
// invalid record. The second pass of an import uses them to recognise the
// records the check validated.
type Sums struct {
	b []byte
	// again marks the records whose stable key (StableKeys) a later
	// record of the file has too: the import updates their case again
	// (see Again).
	again []uint64
}

// keySeen records, during Check, the last record holding each stable key
// (by a 64-bit hash of it): its memory is a few dozen bytes a record,
// let go when the check ends.
type keySeen map[uint64]int

// note marks the record that last held one of keys as holding it again
// (record n has it too).
func (s *Sums) note(seen keySeen, n int, keys ...string) {
	for _, k := range keys {
		if k == "" {
			continue
		}
		h := sha256.Sum256([]byte(k))
		x := binary.LittleEndian.Uint64(h[:8])
		if m, ok := seen[x]; ok {
			for len(s.again)*64 < m {
				s.again = append(s.again, 0)
			}
			s.again[(m-1)/64] |= 1 << ((m - 1) % 64)
		}
		seen[x] = n
	}
}

// Again says whether a later record of the file has a stable key of
// record n (1-based): the import updates n's case again, so it writes
// n's search postings where that update finds them at once rather than
// in the batch's posting groups. A false "true" (two keys of one 64-bit
// hash) costs only space.
func (s Sums) Again(n int) bool {
	i := (n - 1) / 64
	return n >= 1 && i < len(s.again) && s.again[i]&(1<<((n-1)%64)) != 0
}

func (s *Sums) add(sum *[32]byte, valid bool) {
	if valid {
		s.b = append(s.b, sum[:SumLen]...)
	} else {
		s.b = append(s.b, make([]byte, SumLen)...)
	}
}

// Len is the number of records.
func (s Sums) Len() int { return len(s.b) / SumLen }

func (s Sums) at(n int) []byte { return s.b[(n-1)*SumLen : n*SumLen] }

// Valid says whether record n (1-based) was valid in the check.
func (s Sums) Valid(n int) bool {
	return n >= 1 && n <= s.Len() && !bytes.Equal(s.at(n), make([]byte, SumLen))
}

// Match says whether record n (1-based) was valid in the check and had
// the SHA-256 sum.
func (s Sums) Match(n int, sum [32]byte) bool {
	return s.Valid(n) && bytes.Equal(s.at(n), sum[:SumLen])
}
