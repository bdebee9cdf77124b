package backupfmt

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// discardSink reads everything a backup payload hands it and keeps
// nothing; it fails if an unsafe evidence path reaches it.
func discardSink() Sink {
	return Sink{
		File: func(name string, data []byte) error { return nil },
		Store: func(r io.Reader) error {
			_, err := io.Copy(io.Discard, r)
			return err
		},
		Blob: func(rel string, r io.Reader) error {
			if !ValidBlobPath(rel) {
				return fmt.Errorf("unsafe evidence path %q reached the sink", rel)
			}
			_, err := io.Copy(io.Discard, r)
			return err
		},
	}
}

// FuzzBackupPayload feeds arbitrary decrypted payloads to the backup
// reader (anyone can encrypt a file to the organisation's public key): it
// must fail cleanly, within its size limits, and never hand an unsafe path
// to the sink.
func FuzzBackupPayload(f *testing.F) {
	f.Add([]byte(payloadMagic))
	f.Add([]byte(payloadMagic + "H\x00\x08manifest\x00\x00\x00\x02{}\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadPayload(bytes.NewReader(data), discardSink())
		if err == nil && m.Version != Version && m.Version != VersionV1 {
			t.Fatalf("accepted version %d", m.Version)
		}
		if err == nil && m.Version == Version && (m.Chain == nil || m.Live == nil || len(m.Sig) == 0) {
			t.Fatalf("accepted a version 2 payload without chain, lists or signature")
		}
		if err == nil && m.Live != nil {
			for _, b := range m.Live.Blobs {
				if !ValidBlobPath(b) {
					t.Fatalf("unsafe evidence path %q in the evidence list", b)
				}
			}
		}
	})
}

// FuzzBackupManifest feeds arbitrary payloads to ReadManifest, which a
// chain's restore runs on every file before ordering the links: it must
// fail cleanly or return a manifest whose chain is well formed.
func FuzzBackupManifest(f *testing.F) {
	f.Add([]byte(payloadMagic + "H\x00\x08manifest\x00\x00\x00\x02{}\x00\x00\x00\x00"))
	var b bytes.Buffer
	w, _ := NewWriter(&b, &Manifest{Format: Format, Version: Version, Chain: &Chain{ID: "0123456789abcdef0123456789abcdef", Link: 2, Prev: strings.Repeat("ab", 32), Store: StoreDelta}})
	_ = w
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadManifest(bytes.NewReader(data))
		if err != nil {
			return
		}
		if m.Version == Version {
			if err := m.Chain.check(); err != nil {
				t.Fatalf("accepted chain %+v: %v", m.Chain, err)
			}
		} else if m.Chain != nil || m.Version != VersionV1 {
			t.Fatalf("accepted version %d with chain %+v", m.Version, m.Chain)
		}
	})
}

// FuzzBackupHeader feeds arbitrary bytes to the clear header reader.
func FuzzBackupHeader(f *testing.F) {
	f.Add([]byte(backupMagic + "identity 5\nhello"))
	f.Add([]byte(backupMagic + "identity 99999999999999999999\n"))
	f.Add([]byte("casevault backup v2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ReadHeader(bufio.NewReader(bytes.NewReader(data)))
		if err == nil && (len(id) == 0 || len(id) > MaxKeyFile) {
			t.Fatalf("identity of %d bytes accepted", len(id))
		}
	})
}

func TestValidBlobPath(t *testing.T) {
	for name, want := range map[string]bool{
		"ab/cdef": true, "x": true, "a.b-c_d": true,
		"": false, "..": false, "../x": false, "/abs": false, "a//b": false, ".hidden": false,
		"a/../../b": false, `a\b`: false, "a/b/c/d/e": false,
	} {
		if got := ValidBlobPath(name); got != want {
			t.Errorf("ValidBlobPath(%q) = %v", name, got)
		}
	}
}
