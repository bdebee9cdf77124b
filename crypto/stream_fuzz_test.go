package crypto

import (
	"bytes"
	"io"
	"testing"
)

// fuzzKey and fuzzID are fixed so that the seed corpus holds valid streams
// the fuzzer can mutate.
var (
	fuzzKey = Key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	fuzzID  = []byte("fuzz-id-10")
)

// FuzzStreamReader feeds arbitrary bytes to the stream reader: it must
// never panic, and whatever it accepts must be exactly what a writer
// produces for the plaintext it returned (so a mutated stream is never
// accepted).
func FuzzStreamReader(f *testing.F) {
	for _, n := range []int{0, 1, 100, StreamChunkSize, StreamChunkSize + 3} {
		var buf bytes.Buffer
		w, _ := NewStreamWriter(&buf, fuzzKey, fuzzID)
		w.Write(bytes.Repeat([]byte{'a'}, n))
		w.Close()
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewStreamReader(bytes.NewReader(data), fuzzKey, fuzzID)
		if err != nil {
			return
		}
		pt, err := io.ReadAll(r)
		if err != nil {
			return
		}
		if int64(len(data)) != StreamSize(int64(len(pt))) {
			t.Fatalf("accepted a %d-byte stream for %d bytes of plaintext", len(data), len(pt))
		}
	})
}
