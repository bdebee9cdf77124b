package crypto

import (
	"bytes"
	"errors"
	"testing"
)

// TestOpenAppend checks that OpenAppend opens what Open opens, appending
// to the buffer it is given, and refuses what Open refuses.
func TestOpenAppend(t *testing.T) {
	k := NewKey()
	sealed := Seal(k, []byte("summary"), []byte("ad"))
	buf := []byte("kept:")
	out, err := OpenAppend(buf, k, sealed, []byte("ad"))
	if err != nil || string(out) != "kept:summary" {
		t.Fatalf("OpenAppend = %q, %v", out, err)
	}
	for what, c := range map[string]struct {
		sealed, ad []byte
		k          Key
	}{
		"other ad":  {sealed, []byte("other"), k},
		"other key": {sealed, []byte("ad"), NewKey()},
		"truncated": {sealed[:SealOverhead-1], []byte("ad"), k},
		"flipped":   {append(bytes.Clone(sealed[:len(sealed)-1]), sealed[len(sealed)-1]^1), []byte("ad"), k},
		"version":   {append([]byte{0x02}, sealed[1:]...), []byte("ad"), k},
	} {
		if _, err := OpenAppend(nil, c.k, c.sealed, c.ad); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: OpenAppend error %v, want ErrTampered", what, err)
		}
	}
}
