package bundlefmt

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// sparseTar is a tar archive whose one entry is a GNU sparse file (PAX
// format 0.1): 22 KiB of data stored, 1 GiB claimed. archive/tar does not
// write sparse records, so the PAX header is written as a plain entry and
// its type byte patched to 'x'.
func sparseTar(t *testing.T, name string) []byte {
	t.Helper()
	var body []byte
	for _, kv := range [][2]string{{"GNU.sparse.major", "0"}, {"GNU.sparse.minor", "1"}, {"GNU.sparse.numblocks", "1"},
		{"GNU.sparse.map", "0,22528"}, {"GNU.sparse.size", "1073741824"}} {
		rec := " " + kv[0] + "=" + kv[1] + "\n"
		n := len(rec) + 1
		for len(strconv.Itoa(n))+len(rec) != n {
			n++
		}
		body = append(body, strconv.Itoa(n)+rec...)
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	data := bytes.Repeat([]byte("x"), 22<<10)
	for _, e := range []struct {
		name string
		data []byte
	}{{"PaxHeader", body}, {name, data}} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o600, Format: tar.FormatUSTAR}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	raw[156] = tar.TypeXHeader
	copy(raw[148:156], "        ")
	sum := 0
	for _, c := range raw[:512] {
		sum += int(c)
	}
	copy(raw[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return raw
}

// The archive reader expands a sparse entry to the size it claims; the
// bundle reader refuses it at its header, before reading any of it.
func TestBundleSparseEntryRefused(t *testing.T) {
	raw := sparseTar(t, manifestName)
	tr := tar.NewReader(bytes.NewReader(raw))
	hdr, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Size != 1<<30 || hdr.Typeflag != tar.TypeReg {
		t.Fatalf("the crafted entry reads as type %q, %d bytes; want a 1 GiB regular file", hdr.Typeflag, hdr.Size)
	}
	if n, _ := io.Copy(io.Discard, io.LimitReader(tr, 2<<20)); n != 2<<20 {
		t.Fatalf("expanded %d bytes from %d; want the reader to expand holes", n, len(raw))
	}
	err = CheckHeader(hdr)
	var be *Error
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "sparse") {
		t.Fatalf("CheckHeader(sparse) = %v, want an Error naming it sparse", err)
	}
	cr := &countingReader{r: bytes.NewReader(raw)}
	_, _, err = Read(cr, DefaultLimits, Handler{})
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "sparse") {
		t.Fatalf("Read(sparse manifest) = %v, want refused as sparse", err)
	}
}

// The attack of issue 11 in place: a signed manifest lists a 1 GiB
// evidence entry, and the archive holds it as a 22 KiB sparse entry. The
// bundle reader (import and inspect alike) refuses it at its header: the
// evidence handler never sees a byte.
func TestBundleSparseEvidenceNeverExpanded(t *testing.T) {
	caseData := bytes.Repeat([]byte("c"), 100)
	m, _ := exportManifest(t, 1<<30)
	sum := sha256.Sum256(caseData)
	m.Entries[0].SHA256 = hex.EncodeToString(sum[:])
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range []struct {
		name string
		data []byte
	}{{manifestName, raw}, {manifestSigName, make([]byte, 64)}, {m.Entries[0].Name, caseData}} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o600, Format: tar.FormatUSTAR}); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.data)
	}
	tw.Flush() // no end-of-archive blocks: the sparse entry follows
	archive := append(b.Bytes(), sparseTar(t, m.Entries[1].Name)...)
	got := int64(0)
	h := Handler{Evidence: func(e ManifestEntry, r io.Reader) error {
		n, err := io.Copy(io.Discard, r)
		got += n
		return err
	}}
	_, _, err = Read(bytes.NewReader(archive), DefaultLimits, h)
	var be *Error
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "sparse") {
		t.Fatalf("Read = %v, want the sparse evidence entry refused", err)
	}
	if got != 0 {
		t.Fatalf("the evidence handler read %d bytes of the sparse entry", got)
	}
}
