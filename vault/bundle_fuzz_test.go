package vault

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
)

// fuzzLimits are small so that the fuzzer reaches every limit.
var fuzzLimits = BundleLimits{Entries: 20, Manifest: 64 << 10, CaseEntry: 64 << 10, EvidenceSize: 1 << 20, Total: 2 << 20}

// FuzzBundleReader feeds arbitrary tar streams (a bundle after decryption)
// to the bundle reader with a verifier that accepts any signature, so that
// every layer after the signature is reached. The reader must never panic,
// must refuse with a *BundleError, and what it accepts must be what the
// manifest lists.
func FuzzBundleReader(f *testing.F) {
	for _, s := range bundleSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var manifest *Manifest
		claimed := map[string]bool{}
		var seen []string
		h := bundleHandler{
			Verify: func(m *Manifest, raw, sig []byte) error { manifest = m; return nil },
			CaseData: func(e ManifestEntry, d []byte) error {
				seen = append(seen, e.Name)
				if int64(len(d)) != e.Size {
					t.Fatalf("case entry %s: %d bytes, manifest says %d", e.Name, len(d), e.Size)
				}
				_, _, err := parseCaseEntry(manifest, e, d, claimed)
				return err
			},
			Evidence: func(e ManifestEntry, r io.Reader) error {
				seen = append(seen, e.Name)
				n, err := io.Copy(io.Discard, r)
				if err == nil && n > e.Size {
					t.Fatalf("evidence entry %s: read %d bytes, manifest says %d", e.Name, n, e.Size)
				}
				return err
			},
		}
		m, _, err := readBundle(bytes.NewReader(data), fuzzLimits, h)
		if err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("error is not a *BundleError: %T %v", err, err)
			}
			return
		}
		if len(seen) != len(m.Entries) {
			t.Fatalf("accepted with %d entries read, manifest lists %d", len(seen), len(m.Entries))
		}
		for i, e := range m.Entries {
			if seen[i] != e.Name || strings.Contains(e.Name, "..") || strings.HasPrefix(e.Name, "/") {
				t.Fatalf("accepted entry %q", e.Name)
			}
		}
	})
}

// bundleSeeds are tar streams of bundles: valid ones (with a case, with
// evidence) and refused ones (links, escaping names, missing entries).
func bundleSeeds(t testing.TB) [][]byte {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	origin, _ := ParseCaseID("caaaaaaaaaaaaaaaa")
	eid, _ := ParseEvidenceID("ebbbbbbbbbbbbbbbb")
	ev := []byte("evidence file bytes")
	doc, err := schema.Parse([]byte("person: {name: Seed Person}\nmistreatment:\n  - date: 2024-01-01\n    evidence: [ebbbbbbbbbbbbbbbb]\nstatus: pretrial\n"))
	if err != nil {
		t.Fatal(err)
	}
	ce, _ := json.Marshal(CaseEntry{OriginCaseID: origin.String(), OriginRev: 1, Doc: doc.Canonical(),
		Evidence: []EvidenceEntry{{ID: eid.String(), Size: int64(len(ev)), SHA256: sha256Hex(ev)}}})
	caseName, evName := "cases/"+origin.String()+".json", "evidence/"+eid.String()+".bin"
	build := func(listed []tarEntry, entries []tarEntry) []byte {
		m := Manifest{Format: bundleFormat, Version: bundleVersion, BundleID: "bcccccccccccccccc",
			Created:   time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
			Sender:    BundleParty{Org: "Seed Sender", Recipient: "age1seed", VerifyKey: key.Public().(ed25519.PublicKey)},
			Recipient: BundleParty{Org: "Seed Recipient", Recipient: "age1recipient"},
			AuditHead: bundlefmt.AuditHead{Seq: 3, Hash: zeroHash}}
		for _, e := range listed {
			kind := kindCase
			if strings.HasPrefix(e.name, "evidence/") {
				kind = kindEvidence
			}
			m.Entries = append(m.Entries, ManifestEntry{Name: e.name, Kind: kind, Size: int64(len(e.data)), SHA256: sha256Hex(e.data)})
		}
		raw, _ := json.Marshal(m)
		sig := ed25519.Sign(key, manifestSigned(raw))
		return writeTar(t, append([]tarEntry{{name: manifestName, data: raw}, {name: manifestSigName, data: sig}}, entries...))
	}
	c, e := tarEntry{name: caseName, data: ce}, tarEntry{name: evName, data: ev}
	return [][]byte{
		build([]tarEntry{c, e}, []tarEntry{c, e}),
		build([]tarEntry{c}, []tarEntry{c}),
		build([]tarEntry{c, e}, []tarEntry{c}),
		build([]tarEntry{c, e}, []tarEntry{c, {name: evName, typ: '2', link: "/etc/passwd"}}),
		build([]tarEntry{c}, []tarEntry{{name: "../" + caseName, data: ce}}),
		build(nil, nil),
		writeTar(t, nil),
	}
}

// TestWriteBundleSeeds writes the seed corpus of FuzzBundleReader to
// testdata (run with CASEVAULT_WRITE_FUZZ_SEEDS=1 after changing the
// format).
func TestWriteBundleSeeds(t *testing.T) {
	if os.Getenv("CASEVAULT_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set CASEVAULT_WRITE_FUZZ_SEEDS=1 to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzBundleReader")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range bundleSeeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBundleSeeds checks that seeds 0 (a case with evidence) and 5 (no
// entries) are valid bundles and the others are refused, so that the
// corpus starts on both sides.
func TestBundleSeeds(t *testing.T) {
	for i, s := range bundleSeeds(t) {
		var manifest *Manifest
		claimed := map[string]bool{}
		_, _, err := readBundle(bytes.NewReader(s), fuzzLimits, bundleHandler{
			Verify: func(m *Manifest, raw, sig []byte) error { manifest = m; return nil },
			CaseData: func(e ManifestEntry, d []byte) error {
				_, _, err := parseCaseEntry(manifest, e, d, claimed)
				return err
			},
		})
		if (err == nil) != (i == 0 || i == 5) {
			t.Errorf("seed %d: %v", i, err)
		}
	}
}
