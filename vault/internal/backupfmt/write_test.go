package backupfmt

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// What the writer writes, the reader reads back part for part; a payload
// whose part differs from the trailer's SHA-256, or cut short, is refused
// with an *Error.
func TestWriteReadRoundTrip(t *testing.T) {
	m := &Manifest{Format: Format, Version: Version, Org: "Alpha", Cases: 2, EvidenceFile: 1,
		AuditHead: AuditHead{Seq: 7, Hash: strings.Repeat("ab", 32)}}
	store := bytes.Repeat([]byte("kv"), 3<<20) // more than one chunk
	var file bytes.Buffer
	if err := WriteHeader(&file, []byte("sealed identity")); err != nil {
		t.Fatal(err)
	}
	headerLen := file.Len()
	pw, err := NewWriter(&file, m)
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return pw.File(IdentityFile, []byte("sealed identity")) },
		func() error { return pw.File(MasterFile, []byte("master")) },
		pw.BeginStore,
		func() error { _, err := pw.Write(store); return err },
		pw.End,
		func() error { return pw.Blob("ab/cdef", strings.NewReader("evidence")) },
		pw.Close,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	br := bufio.NewReader(bytes.NewReader(file.Bytes()))
	id, err := ReadHeader(br)
	if err != nil || string(id) != "sealed identity" {
		t.Fatalf("header: %q, %v", id, err)
	}
	got := map[string]string{}
	sink := Sink{
		File:  func(name string, data []byte) error { got[name] = string(data); return nil },
		Store: func(r io.Reader) error { b, err := io.ReadAll(r); got["store"] = string(b); return err },
		Blob:  func(rel string, r io.Reader) error { b, err := io.ReadAll(r); got[rel] = string(b); return err },
	}
	rm, err := ReadPayload(br, sink)
	if err != nil {
		t.Fatal(err)
	}
	if rm.Org != "Alpha" || rm.Cases != 2 || rm.AuditHead != m.AuditHead {
		t.Fatalf("manifest read back: %+v", rm)
	}
	if got[IdentityFile] != "sealed identity" || got[MasterFile] != "master" || got["store"] != string(store) || got["ab/cdef"] != "evidence" {
		t.Fatalf("parts read back differ (store %d bytes)", len(got["store"]))
	}

	payload := file.Bytes()[headerLen:]
	bad := bytes.Clone(payload)
	i := bytes.Index(bad, []byte("evidence"))
	bad[i] ^= 1
	var be *Error
	if _, err := ReadPayload(bytes.NewReader(bad), discardSink()); !errors.As(err, &be) || !strings.Contains(err.Error(), "trailer") {
		t.Fatalf("changed evidence byte: %v, want refused against the trailer", err)
	}
	if _, err := ReadPayload(bytes.NewReader(payload[:len(payload)-10]), discardSink()); !errors.As(err, &be) {
		t.Fatalf("truncated payload: %v, want an *Error", err)
	}
}
