package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

func newEvidenceTestVault(t *testing.T) *Vault {
	t.Helper()
	v, err := Init(filepath.Join(t.TempDir(), "vault"), InitOptions{Org: "Test Org", Classic: true,
		Passphrase: []byte("pass"), Options: Options{Author: "tester"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func addTestCase(t *testing.T, v *Vault, name string, evidence ...string) CaseID {
	t.Helper()
	doc := caseDoc(t, name, evidence...)
	id, err := v.AddCase(doc)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func caseDoc(t *testing.T, name string, evidence ...string) *schema.Case {
	t.Helper()
	y := "schema: case.v1\nperson:\n  name: " + name + "\nstatus: pretrial\n"
	if len(evidence) > 0 {
		y += "mistreatment:\n  - date: 2023-02-01\n    kind: [beating]\n    evidence: [" + strings.Join(evidence, ", ") + "]\n"
	}
	doc, err := schema.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func randomData(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func blobFiles(t *testing.T, v *Vault) []string {
	t.Helper()
	ents, err := os.ReadDir(v.blobDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestEvidenceRoundTrip(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	C := crypto.StreamChunkSize
	for _, n := range []int{0, 1, C - 1, C, C + 1, 3*C + 5, 2<<20 + 7} {
		data := randomData(n)
		m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(data), EvidenceInput{Name: "/some/dir/f.bin", Note: "n", CollectedBy: "lawyer"})
		if err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		h := sha256.Sum256(data)
		if m.Size != int64(n) || m.SHA256 != hex.EncodeToString(h[:]) || m.Name != "f.bin" || m.Case != c.String() || m.AddedBy != "tester" {
			t.Fatalf("size %d: meta %+v", n, m)
		}
		e, _ := ParseEvidenceID(m.ID)
		var out bytes.Buffer
		if _, err := v.ReadEvidence(context.Background(), e, &out); err != nil {
			t.Fatalf("size %d: read: %v", n, err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("size %d: content differs", n)
		}
		if err := v.VerifyEvidence(context.Background(), e); err != nil {
			t.Fatalf("size %d: verify: %v", n, err)
		}
		got, err := v.Evidence(e)
		if err != nil || *got != *m {
			t.Fatalf("size %d: Evidence: %+v %v", n, got, err)
		}
	}
	list, err := v.EvidenceList(c)
	if err != nil || len(list) != 7 {
		t.Fatalf("list: %d %v", len(list), err)
	}
	if got := len(blobFiles(t, v)); got != 7 {
		t.Fatalf("%d blob files, want 7", got)
	}
}

func TestEvidenceMediaType(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	pdf := append([]byte("%PDF-1.7\n"), randomData(5000)...)
	m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(pdf), EvidenceInput{Name: "report.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != "application/pdf" {
		t.Fatalf("media type %q", m.MediaType)
	}
}

// tamperBlob changes the stored file of evidence e.
func tamperBlob(t *testing.T, v *Vault, e EvidenceID, f func([]byte) []byte) {
	t.Helper()
	var rec *evidenceRecord
	if err := v.view(func(txn *store.Txn) error {
		var err error
		rec, err = v.evidenceRecordOf(txn, e)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := v.blobPath(rec.Blob)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, f(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEvidenceTamper(t *testing.T) {
	C := crypto.StreamChunkSize
	T := 16
	H := crypto.StreamHeaderSize
	chunk := func(i int) (int, int) { s := H + i*(C+T); return s, s + C + T }
	tampers := map[string]func([]byte) []byte{
		"flip": func(b []byte) []byte { b[H+C+100] ^= 1; return b },
		"swap chunks": func(b []byte) []byte {
			s0, e0 := chunk(0)
			s1, e1 := chunk(1)
			c0 := bytes.Clone(b[s0:e0])
			copy(b[s0:e0], b[s1:e1])
			copy(b[s1:e1], c0)
			return b
		},
		"truncate":        func(b []byte) []byte { return b[:len(b)-100] },
		"drop last chunk": func(b []byte) []byte { s, _ := chunk(3); return b[:s] },
		"append":          func(b []byte) []byte { return append(b, b[H:H+C+T]...) },
		"empty":           func(b []byte) []byte { return nil },
	}
	for name, f := range tampers {
		t.Run(name, func(t *testing.T) {
			v := newEvidenceTestVault(t)
			c := addTestCase(t, v, "Ivan Petrov")
			m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(randomData(3*C+500)), EvidenceInput{Name: "x"})
			if err != nil {
				t.Fatal(err)
			}
			e, _ := ParseEvidenceID(m.ID)
			tamperBlob(t, v, e, f)
			var de *EvidenceDamagedError
			if err := v.VerifyEvidence(context.Background(), e); !errors.As(err, &de) {
				t.Fatalf("verify: %v", err)
			}
			if _, err := v.ReadEvidence(context.Background(), e, &bytes.Buffer{}); !errors.As(err, &de) {
				t.Fatalf("read: %v", err)
			}
		})
	}
}

func TestEvidenceSwapBlobs(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	var ids []EvidenceID
	var recs []*evidenceRecord
	for range 2 {
		m, err := v.AddEvidence(context.Background(), c, bytes.NewReader(randomData(1000)), EvidenceInput{Name: "x"})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := ParseEvidenceID(m.ID)
		ids = append(ids, e)
		v.view(func(txn *store.Txn) error {
			r, err := v.evidenceRecordOf(txn, e)
			recs = append(recs, r)
			return err
		})
	}
	a, b := v.blobPath(recs[0].Blob), v.blobPath(recs[1].Blob)
	tmp := a + ".x"
	if err := os.Rename(a, tmp); err != nil {
		t.Fatal(err)
	}
	os.Rename(b, a)
	os.Rename(tmp, b)
	for _, e := range ids {
		if err := v.VerifyEvidence(context.Background(), e); !errors.Is(err, crypto.ErrTampered) {
			t.Fatalf("swapped blob of %s: %v", e, err)
		}
	}
}

func TestEvidenceRemove(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	m1, _ := v.AddEvidence(context.Background(), c, bytes.NewReader([]byte("one")), EvidenceInput{Name: "1"})
	m2, _ := v.AddEvidence(context.Background(), c, bytes.NewReader([]byte("two")), EvidenceInput{Name: "2"})
	e1, _ := ParseEvidenceID(m1.ID)
	e2, _ := ParseEvidenceID(m2.ID)
	// Referring to the evidence from another case is a validation error.
	var ve *schema.ValidationError
	if _, err := v.AddCase(caseDoc(t, "Other", m1.ID)); !errors.As(err, &ve) {
		t.Fatalf("new case with foreign evidence: %v", err)
	}
	if _, err := v.UpdateCase(c, caseDoc(t, "Ivan Petrov", m1.ID)); err != nil {
		t.Fatal(err)
	}
	var iu *EvidenceInUseError
	if err := v.RemoveEvidence(e1); !errors.As(err, &iu) || iu.Case != c.String() {
		t.Fatalf("rm of referenced evidence: %v", err)
	}
	if err := v.RemoveEvidence(e2); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Evidence(e2); !IsNotFound(err) {
		t.Fatalf("removed evidence: %v", err)
	}
	if n := len(blobFiles(t, v)); n != 1 {
		t.Fatalf("%d blob files after rm, want 1", n)
	}
	if err := v.RemoveCase(c); err != nil {
		t.Fatal(err)
	}
	if n := len(blobFiles(t, v)); n != 0 {
		t.Fatalf("%d blob files after case rm, want 0", n)
	}
	if _, err := v.Evidence(e1); !IsNotFound(err) {
		t.Fatalf("evidence of removed case: %v", err)
	}
	if _, err := v.AddEvidence(context.Background(), c, bytes.NewReader(nil), EvidenceInput{}); !IsNotFound(err) {
		t.Fatalf("add to removed case: %v", err)
	}
	// Audit trail names the evidence in every entry.
	var ops []string
	v.AuditEntries(func(e AuditEntry) error {
		if strings.HasPrefix(string(e.Op), "evidence.") {
			if len(e.Targets) != 2 || e.Targets[1] != c.String() {
				t.Errorf("entry %d %s targets %v", e.Seq, e.Op, e.Targets)
			}
			ops = append(ops, string(e.Op))
		}
		return nil
	})
	if strings.Join(ops, " ") != "evidence.add evidence.add evidence.rm" {
		t.Fatalf("audit ops %v", ops)
	}
}

func TestEvidenceReadFailure(t *testing.T) {
	v := newEvidenceTestVault(t)
	c := addTestCase(t, v, "Ivan Petrov")
	_, err := v.AddEvidence(context.Background(), c, iotestErrReader{}, EvidenceInput{Name: "x"})
	if err == nil {
		t.Fatal("add from a failing reader succeeded")
	}
	if n := len(blobFiles(t, v)); n != 0 {
		t.Fatalf("%d blob files left after a failed add", n)
	}
	list, _ := v.EvidenceList(c)
	if len(list) != 0 {
		t.Fatalf("failed add is listed: %v", list)
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read(p []byte) (int, error) { return 0, errors.New("disk on fire") }
