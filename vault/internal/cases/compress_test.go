package cases

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompressRecord(t *testing.T) {
	in := []byte(`{"doc":` + strings.Repeat(`"abc",`, 100) + `1}`)
	z := Compress(in)
	if len(z) >= len(in) || z[0] != 'z' {
		t.Fatalf("compressed %d -> %d", len(in), len(z))
	}
	out, err := Decompress(z)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("round trip: %v", err)
	}
	if out, err := Decompress(in); err != nil || !bytes.Equal(out, in) {
		t.Fatal("plain JSON not passed through")
	}
	if _, err := Decompress([]byte("z\xff\xff")); err == nil {
		t.Fatal("garbage inflated")
	}
}
