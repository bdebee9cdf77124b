package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/ids"
)

// writeRecord writes data as a blob of a fresh evidence ID in dir and
// returns the record that registers it.
func writeRecord(t *testing.T, dir string, data []byte) *Record {
	t.Helper()
	e := ids.NewEvidenceID()
	b, err := Write(dir, e.Bytes(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if b.Size != int64(len(data)) || !bytes.Equal(b.SHA256, sum[:]) || !ValidName(b.Name) {
		t.Fatalf("blob %+v for %d bytes", b, len(data))
	}
	return &Record{EvidenceMeta: Meta{ID: e.String(), Case: "c", Size: b.Size, SHA256: hex.EncodeToString(b.SHA256),
		MediaType: b.MediaType}, Blob: b.Name, FileKey: b.Key[:]}
}

// A blob written by Write streams back to exactly its plaintext, across
// the pipe's block boundaries, and is sealed: the file does not hold it.
func TestWriteStreamRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	for _, n := range []int{0, 1, 128<<10 - 1, 128 << 10, 3<<20 + 17} {
		data := bytes.Repeat([]byte("evidence "), n/9+1)[:n]
		rec := writeRecord(t, dir, data)
		var out bytes.Buffer
		if err := Stream(dir, rec, &out); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("n=%d: streamed %d bytes, want the %d written", n, out.Len(), n)
		}
		raw, err := os.ReadFile(filepath.Join(dir, rec.Blob))
		if err != nil {
			t.Fatal(err)
		}
		if n > 64 && bytes.Contains(raw, data[:64]) {
			t.Fatalf("n=%d: plaintext in the blob file", n)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), TmpPrefix) {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

func TestWriteSniffsMediaType(t *testing.T) {
	rec := writeRecord(t, t.TempDir(), []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"))
	if rec.MediaType != "application/pdf" {
		t.Fatalf("media type %q, want application/pdf", rec.MediaType)
	}
}

// A flipped byte, a truncated file, a missing file, a blob sealed for
// another evidence ID and a wrong SHA-256 are each a *DamagedError in the
// category damaged.
func TestStreamDamage(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("x"), 200<<10)
	cases := map[string]func(*Record){
		"flipped": func(r *Record) {
			p := filepath.Join(dir, r.Blob)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o600)
		},
		"truncated": func(r *Record) {
			p := filepath.Join(dir, r.Blob)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-100], 0o600)
		},
		"missing":    func(r *Record) { os.Remove(filepath.Join(dir, r.Blob)) },
		"other id":   func(r *Record) { r.ID = ids.NewEvidenceID().String() },
		"wrong sum":  func(r *Record) { r.SHA256 = strings.Repeat("0", 64) },
		"wrong size": func(r *Record) { r.Size++ },
	}
	for name, spoil := range cases {
		rec := writeRecord(t, dir, data)
		spoil(rec)
		err := Stream(dir, rec, new(bytes.Buffer))
		var de *DamagedError
		if !errors.As(err, &de) || de.Evidence != rec.ID || !errors.Is(err, errs.ErrDamaged) {
			t.Errorf("%s: Stream = %v, want a *DamagedError", name, err)
		}
	}
	// Intact, it streams.
	if err := Stream(dir, writeRecord(t, dir, data), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
}

func TestValidName(t *testing.T) {
	for n, want := range map[string]bool{
		strings.Repeat("a", NameLen):               true,
		"0123456789abcdef0123456789abcdef":         true,
		strings.Repeat("A", NameLen):               false,
		strings.Repeat("a", NameLen-1):             false,
		TmpPrefix + strings.Repeat("a", NameLen-5): false,
		"../" + strings.Repeat("a", NameLen-3):     false,
	} {
		if ValidName(n) != want {
			t.Errorf("ValidName(%q) = %v", n, !want)
		}
	}
}

// The record's JSON is the bytes vaults store today: metadata fields in
// order, then blob and file_key (a golden record).
func TestRecordJSON(t *testing.T) {
	r := Record{EvidenceMeta: Meta{ID: "e1", Case: "c1", Name: "a.pdf", MediaType: "application/pdf", Size: 3,
		SHA256: "ab", Added: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), AddedBy: "me", Source: "s"},
		Blob: "b", FileKey: []byte{1, 2}}
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"e1","case":"c1","name":"a.pdf","media_type":"application/pdf","size":3,"sha256":"ab",` +
		`"added":"2026-01-02T03:04:05Z","added_by":"me","source":"s","blob":"b","file_key":"AQI="}`
	if string(got) != want {
		t.Fatalf("record JSON\n got %s\nwant %s", got, want)
	}
}

func TestRecordCheck(t *testing.T) {
	good := func() *Record {
		return &Record{EvidenceMeta: Meta{ID: "e1", Case: "c1", SHA256: strings.Repeat("0", 64)},
			Blob: strings.Repeat("a", NameLen), FileKey: make([]byte, 32)}
	}
	if err := good().Check("c1", "e1"); err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(*Record){
		"id":   func(r *Record) { r.ID = "e2" },
		"case": func(r *Record) { r.Case = "c2" },
		"key":  func(r *Record) { r.FileKey = r.FileKey[:31] },
		"blob": func(r *Record) { r.Blob = "../x" },
		"size": func(r *Record) { r.Size = -1 },
		"sum":  func(r *Record) { r.SHA256 = "ab" },
	} {
		r := good()
		spoil(r)
		if r.Check("c1", "e1") == nil {
			t.Errorf("%s: a spoiled record passes Check", name)
		}
	}
}

func TestCheckText(t *testing.T) {
	m := Meta{Name: "  ../../etc/passwd "}
	if err := CheckText(&m); err != nil || m.Name != "passwd" {
		t.Fatalf("CheckText: %v, name %q", err, m.Name)
	}
	m = Meta{Note: strings.Repeat("n", MaxText+1)}
	if err := CheckText(&m); err == nil || !strings.Contains(err.Error(), "note") {
		t.Fatalf("a note over MaxText: %v", err)
	}
}
