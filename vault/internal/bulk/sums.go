package bulk

import "bytes"

// SumLen is how many bytes of a record's SHA-256 Check keeps: 128 bits,
// as hard to match with a different record as the whole hash for anyone
// who changes the file between the check and the import, at half the
// memory (16 MiB for a million records).
const SumLen = 16

// Sums are the fingerprints of the records of an import file, in order:
// the first SumLen bytes of each valid record's SHA-256, zeros for an
// invalid record. The second pass of an import uses them to recognise the
// records the check validated.
type Sums struct{ b []byte }

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
