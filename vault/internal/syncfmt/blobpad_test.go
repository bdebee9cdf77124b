package syncfmt

import (
	"bytes"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

// TestBlobPadded: every length pads to at least itself, at most 12 % more
// (PadMin below it), monotonically, and to a padded length that pads to
// itself; lengths in one bucket give one object size.
func TestBlobPadded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Int64Range(0, 1<<42).Draw(t, "n")
		p := BlobPadded(n)
		if p < n || p < PadMin {
			t.Fatalf("BlobPadded(%d) = %d", n, p)
		}
		if n > PadMin && float64(p-n) > 0.12*float64(n) {
			t.Fatalf("BlobPadded(%d) = %d: %.1f %% more", n, p, 100*float64(p-n)/float64(n))
		}
		if BlobPadded(p) != p {
			t.Fatalf("BlobPadded(%d) = %d, BlobPadded of that = %d", n, p, BlobPadded(p))
		}
		m := rapid.Int64Range(0, 1<<42).Draw(t, "m")
		if m <= n && BlobPadded(m) > p {
			t.Fatalf("not monotonic: %d -> %d, %d -> %d", m, BlobPadded(m), n, p)
		}
	})
	// Files of 1,000,001 and 1,015,000 bytes: one size (buckets of 16 KiB there).
	if BlobPadded(1_000_001) != BlobPadded(1_015_000) {
		t.Fatalf("%d vs %d", BlobPadded(1_000_001), BlobPadded(1_015_000))
	}
	if got := BlobPadded(1 << 30); got != 1<<30 {
		t.Fatalf("1 GiB pads to %d", got)
	}
	if got := BlobPadded(1<<30 + 1); got != 1<<30+32<<20 {
		t.Fatalf("1 GiB + 1 pads to %d", got)
	}
}

func TestCheckBlobPadding(t *testing.T) {
	n := int64(100_000)
	want := BlobPadded(n) - n
	for _, tc := range []struct {
		name string
		pad  []byte
		ok   bool
	}{
		{"padded", make([]byte, want), true},
		{"previous version, none", nil, true},
		{"one byte short", make([]byte, want-1), false},
		{"one byte more", make([]byte, want+1), false},
		{"not zeros", append(make([]byte, want-1), 1), false},
	} {
		err := CheckBlobPadding(bytes.NewReader(tc.pad), "x", n)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrDamaged)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
