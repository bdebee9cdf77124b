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
	m := &Manifest{Format: Format, Version: VersionV1, Org: "Alpha", Cases: 2, EvidenceFile: 1,
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

// A version 2 link: chain in the manifest, key and evidence lists read
// back, the trailer's signature handed to the caller; unsigned, or with a
// chain that is not well formed, it is refused.
func TestWriteReadLink(t *testing.T) {
	write := func(c *Chain, sign bool) []byte {
		var b bytes.Buffer
		pw, err := NewWriter(&b, &Manifest{Format: Format, Version: Version, Chain: c})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []func() error{
			func() error { return pw.File(IdentityFile, []byte("id")) },
			func() error { return pw.File(MasterFile, []byte("master")) },
			pw.BeginStore, pw.End,
			func() error { return pw.Live([][]byte{[]byte("k1"), []byte("k22")}, []string{"ab/cd", "ef"}) },
			func() error { return pw.Blob("ef", strings.NewReader("new")) },
		} {
			if err := s(); err != nil {
				t.Fatal(err)
			}
		}
		if sign {
			err = pw.CloseSigned(func(msg []byte) []byte { return append([]byte("sig:"), msg[:8]...) })
		} else {
			err = pw.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := &Chain{ID: strings.Repeat("0f", 16), Link: 2, Prev: strings.Repeat("ab", 32), Store: StoreDelta}
	m, err := ReadPayload(bytes.NewReader(write(good, true)), discardSink())
	if err != nil {
		t.Fatal(err)
	}
	if *m.Chain != *good || len(m.Live.Keys) != 2 || string(m.Live.Keys[1]) != "k22" || len(m.Live.Blobs) != 2 ||
		string(m.Sig) != "sig:casevaul" || !bytes.HasPrefix(m.Signed, []byte("casevault backup link v2\n")) {
		t.Fatalf("read back: %+v %+v %q", m.Chain, m.Live, m.Sig)
	}
	if mm, err := ReadManifest(bytes.NewReader(write(good, true))); err != nil || *mm.Chain != *good {
		t.Fatalf("ReadManifest: %+v %v", mm, err)
	}
	if _, err := ReadPayload(bytes.NewReader(write(good, false)), discardSink()); err == nil || !strings.Contains(err.Error(), "not signed") {
		t.Fatalf("unsigned link: %v", err)
	}
	for _, c := range []*Chain{
		{ID: strings.Repeat("0f", 16), Link: 1, Prev: strings.Repeat("ab", 32), Store: StoreFull}, // link 1 with a predecessor
		{ID: strings.Repeat("0f", 16), Link: 1, Store: StoreDelta},                                // link 1 holding changes
		{ID: strings.Repeat("0f", 16), Link: 3, Store: StoreDelta},                                // no predecessor
		{ID: "short", Link: 1, Store: StoreFull},
		{ID: strings.Repeat("0f", 16), Link: 0, Store: StoreFull},
	} {
		if _, err := ReadPayload(bytes.NewReader(write(c, true)), discardSink()); err == nil {
			t.Fatalf("chain %+v accepted", c)
		}
	}
}
