package crypto

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
)

const C = StreamChunkSize

func sealStream(t *testing.T, key Key, id, pt []byte, writeSize int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewStreamWriter(&buf, key, id)
	if err != nil {
		t.Fatal(err)
	}
	for p := pt; len(p) > 0; {
		n := min(writeSize, len(p))
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Fatal("write after close succeeded")
	}
	return buf.Bytes()
}

func openStream(key Key, id, sealed []byte) ([]byte, error) {
	r, err := NewStreamReader(bytes.NewReader(sealed), key, id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestStreamRoundTrip(t *testing.T) {
	key := NewKey()
	id := []byte("0123456789")
	for _, n := range []int{0, 1, C - 1, C, C + 1, 2 * C, 3*C + 17} {
		pt := randBytes(n)
		for _, ws := range []int{1 << 20, 1000, C} {
			sealed := sealStream(t, key, id, pt, ws)
			if int64(len(sealed)) != StreamSize(int64(n)) {
				t.Errorf("size %d: sealed %d bytes, StreamSize says %d", n, len(sealed), StreamSize(int64(n)))
			}
			got, err := openStream(key, id, sealed)
			if err != nil {
				t.Fatalf("size %d write %d: %v", n, ws, err)
			}
			if !bytes.Equal(got, pt) {
				t.Fatalf("size %d write %d: plaintext differs", n, ws)
			}
			// WriteTo gives the same.
			r, err := NewStreamReader(bytes.NewReader(sealed), key, id)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if _, err := r.WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), pt) {
				t.Fatalf("size %d: WriteTo: %v", n, err)
			}
		}
	}
}

func TestStreamTamper(t *testing.T) {
	key := NewKey()
	id := []byte("0123456789")
	pt := randBytes(3*C + 100) // chunks 0,1,2 full, chunk 3 final
	sealed := sealStream(t, key, id, pt, 1<<20)
	chunk := func(i int) (int, int) {
		start := StreamHeaderSize + i*(C+streamTagSize)
		return start, min(start+C+streamTagSize, len(sealed))
	}
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(sealed)) }
	cases := map[string][]byte{
		"flip header": mod(func(b []byte) []byte { b[3] ^= 1; return b }),
		"flip mac":    mod(func(b []byte) []byte { b[StreamHeaderSize-1] ^= 1; return b }),
		"flip chunk":  mod(func(b []byte) []byte { b[StreamHeaderSize+C+5] ^= 0x80; return b }),
		"flip tag":    mod(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }),
		"swap chunks": mod(func(b []byte) []byte {
			s0, e0 := chunk(0)
			s1, e1 := chunk(1)
			c0 := bytes.Clone(b[s0:e0])
			copy(b[s0:e0], b[s1:e1])
			copy(b[s1:e1], c0)
			return b
		}),
		"drop chunk": mod(func(b []byte) []byte {
			s1, e1 := chunk(1)
			return append(b[:s1], b[e1:]...)
		}),
		"drop last chunk": mod(func(b []byte) []byte {
			s3, _ := chunk(3)
			return b[:s3]
		}),
		"truncate inside": mod(func(b []byte) []byte { return b[:len(b)-30] }),
		"truncate to header": mod(func(b []byte) []byte {
			return b[:StreamHeaderSize]
		}),
		"truncate header": mod(func(b []byte) []byte { return b[:10] }),
		"append bytes":    mod(func(b []byte) []byte { return append(b, 0) }),
		"append chunk": mod(func(b []byte) []byte {
			s3, e3 := chunk(3)
			return append(b, b[s3:e3]...)
		}),
		"last chunk moved up": mod(func(b []byte) []byte {
			s2, _ := chunk(2)
			s3, e3 := chunk(3)
			return append(b[:s2], b[s3:e3]...)
		}),
	}
	for name, b := range cases {
		got, err := openStream(key, id, b)
		if !errors.Is(err, ErrTampered) {
			t.Errorf("%s: got %d bytes, err %v; want ErrTampered", name, len(got), err)
		}
	}
	// Another ID or another key.
	if _, err := openStream(key, []byte("9876543210"), sealed); !errors.Is(err, ErrTampered) {
		t.Errorf("other id: %v", err)
	}
	if _, err := openStream(NewKey(), id, sealed); !errors.Is(err, ErrTampered) {
		t.Errorf("other key: %v", err)
	}
	// A chunk from another stream with the same key but another ID, at the
	// same position, does not open even with the header kept.
	other := sealStream(t, key, []byte("9876543210"), pt, 1<<20)
	mixed := bytes.Clone(sealed)
	s1, e1 := chunk(1)
	copy(mixed[s1:e1], other[s1:e1])
	if _, err := openStream(key, id, mixed); !errors.Is(err, ErrTampered) {
		t.Errorf("chunk from another stream: %v", err)
	}
}

func TestStreamEmptyIsOneChunk(t *testing.T) {
	key := NewKey()
	sealed := sealStream(t, key, []byte("x"), nil, 1)
	if len(sealed) != StreamHeaderSize+streamTagSize {
		t.Fatalf("empty stream is %d bytes", len(sealed))
	}
	// With the final chunk removed it is truncated.
	if _, err := openStream(key, []byte("x"), sealed[:StreamHeaderSize]); !errors.Is(err, ErrTampered) {
		t.Fatalf("empty stream without final chunk: %v", err)
	}
	if err := CheckStreamHeader(bytes.NewReader(sealed), key, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := CheckStreamHeader(bytes.NewReader(sealed), key, []byte("y")); !errors.Is(err, ErrTampered) {
		t.Fatal(err)
	}
}

func BenchmarkStreamSeal(b *testing.B) {
	key := NewKey()
	pt := randBytes(1 << 20)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		w, _ := NewStreamWriter(io.Discard, key, []byte("id"))
		w.Write(pt)
		w.Close()
	}
}
