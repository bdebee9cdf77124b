package syncfmt

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// Padding of blobs: the plaintext of a blob object is the evidence file,
// then zero bytes up to BlobPadded of its length, so an offloaded file's
// size shows only to within its bucket (SECURITY.md, "What the store
// operator sees"). The buckets are Padmé's (Nikitin et al., "Reducing
// metadata leakage from encrypted files and communication with PURBs",
// PETS 2019): a length L is rounded up to keep only its top
// floor(log2(floor(log2 L)))+1 bits, at most 12 % more and under 3 %
// above 64 MiB, leaking O(log log L) bits; below PadMin a blob takes PadMin.
// The padding is inside the blob's seal (authenticated); a reader requires
// it to be zeros of exactly that length, or absent (blobs of the previous
// version).

// BlobPadded is the padded plaintext length of a blob holding n bytes.
func BlobPadded(n int64) int64 {
	if n <= PadMin {
		return PadMin
	}
	e := 63 - bits.LeadingZeros64(uint64(n)) // floor(log2 n)
	s := 64 - bits.LeadingZeros64(uint64(e)) // floor(log2 e) + 1
	mask := int64(1)<<(e-s) - 1
	return (n + mask) &^ mask
}

// PaddedBlobSize is the size of the blob object holding n bytes, padded.
func PaddedBlobSize(n int64) int64 { return BlobSize(BlobPadded(n)) }

// Zeros is a reader of n zero bytes: the padding a blob writer appends.
func Zeros(n int64) io.Reader { return io.LimitReader(zeroReader{}, n) }

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// CheckBlobPadding reads what follows the n bytes of content in a blob's
// plaintext r (the padding) to its authenticated end and requires it to be
// zeros of exactly BlobPadded(n) − n bytes, or nothing (an unpadded blob of
// the previous version).
func CheckBlobPadding(r io.Reader, name string, n int64) error {
	want := BlobPadded(n) - n
	buf := make([]byte, 32<<10)
	var got int64
	for {
		k, err := r.Read(buf)
		for _, c := range buf[:k] {
			if c != 0 {
				return fmt.Errorf("object %s: padding is not zeros: %w", name, ErrDamaged)
			}
		}
		got += int64(k)
		if got > want {
			return fmt.Errorf("object %s: more padding than its bucket: %w", name, ErrDamaged)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if got != 0 && got != want {
		return fmt.Errorf("object %s: padding of %d bytes, %d expected: %w", name, got, want, ErrDamaged)
	}
	return nil
}
