package cases

import (
	"bytes"
	stdflate "compress/flate"
	"io"
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

// Revisions are compressed with klauspost/compress's DEFLATE since
// casevault stopped using the standard library's (a third less CPU for a
// case of 1.6 KB): the format is the same, so revisions written before
// still read, and what is written now inflates with the standard library.
func TestCompressIsPlainDeflate(t *testing.T) {
	doc := []byte(`{"person":{"name":"Ирина Степанова","name_native":"Ирина Степанова"},"notes":"` + strings.Repeat("Задержана 12 мая & доставлена в ИВС; ", 40) + `"}`)

	// written by an earlier casevault: 'z' ‖ standard library DEFLATE
	var old bytes.Buffer
	old.WriteByte(CompressedMarker)
	w, err := stdflate.NewWriter(&old, stdflate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(doc)
	w.Close()
	got, err := Decompress(old.Bytes())
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("a revision the standard library compressed: %v, %q", err, got)
	}

	// written now: the standard library inflates it
	packed := Compress(doc)
	if packed[0] != CompressedMarker || len(packed) >= len(doc)/2 {
		t.Fatalf("compressed %d bytes to %d, marker %q", len(doc), len(packed), packed[0])
	}
	got, err = io.ReadAll(stdflate.NewReader(bytes.NewReader(packed[1:])))
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("the standard library inflates a revision written now: %v, %q", err, got)
	}
	if got, err := Decompress(packed); err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("round trip: %v", err)
	}
}
