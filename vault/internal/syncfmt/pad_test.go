package syncfmt

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/casevault/casevault/crypto"
)

func TestPaddedSizeBuckets(t *testing.T) {
	for _, c := range []struct{ n, want int }{
		{0, PadMin}, {PadMin, PadMin}, {PadMin + 1, 2 * PadMin}, {100 << 10, 128 << 10},
		{PadStep, PadStep}, {PadStep + 1, 2 * PadStep}, {5*PadStep + 7, 6 * PadStep},
	} {
		if got := PaddedSize(c.n); got != c.want {
			t.Errorf("PaddedSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}

func TestSealPadsToBucket(t *testing.T) {
	k := DeriveKeys(crypto.NewKey())
	name := NewName()
	a := k.Seal(name, KindPack, make([]byte, 10))
	b := k.Seal(name, KindPack, make([]byte, 9000))
	if len(a) != len(b) || len(a) != SealedSize(10) {
		t.Fatalf("sizes %d and %d, want both %d", len(a), len(b), SealedSize(10))
	}
	if body, err := k.Open(name, KindPack, b); err != nil || len(body) != 9000 {
		t.Fatalf("open: %d bytes, %v", len(body), err)
	}
}

// A key holder that seals non-zero padding, or a length that does not
// fit the bucket, is refused: the padding carries nothing.
func TestOpenRefusesBadPadding(t *testing.T) {
	k := DeriveKeys(crypto.NewKey())
	name := NewName()
	seal := func(pt []byte) []byte { return crypto.Seal(k.obj, pt, k.ad(name)) }
	good := func(n int) []byte {
		pt := make([]byte, PaddedSize(padHeader+n))
		pt[0] = KindPack
		binary.BigEndian.PutUint32(pt[1:], uint32(n))
		return pt
	}
	nonzero := good(5)
	nonzero[len(nonzero)-1] = 1
	long := good(5)
	binary.BigEndian.PutUint32(long[1:], uint32(len(long)))
	short := good(5)[:PadMin-1]
	unpadded := []byte{KindPack, 0, 0, 0, 1, 'x'}
	for what, pt := range map[string][]byte{"non-zero padding": nonzero, "length past the end": long,
		"short of the bucket": short, "unpadded": unpadded} {
		if _, err := k.Open(name, KindPack, seal(pt)); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v", what, err)
		}
	}
	if _, err := k.Open(name, KindPack, seal(good(5))); err != nil {
		t.Fatalf("well-padded: %v", err)
	}
}
