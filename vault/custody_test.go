package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// TestCustodyScenario is the scenario: an item goes through add,
// get, bundle export and verify, all real operations, and its custody
// report lists all four; the partner's report of the same item starts with
// its import, with the same SHA-256.
func TestCustodyScenario(t *testing.T) {
	_, v := audVault(t, "Alpha Defence")
	_, partner := audVault(t, "Beta Rights")
	introduce(t, v, partner)
	introduce(t, partner, v)
	c := audAdd(t, v, 1)[0]
	file := []byte("%PDF-1.4 medical report of 2024-02-01\n")
	sum := sha256.Sum256(file)
	meta, err := v.AddEvidence(context.Background(), c, bytes.NewReader(file), EvidenceInput{Name: "report.pdf", CollectedBy: "A. Lawyer", Source: "family"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseEvidenceID(meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, err := v.AddEvidence(context.Background(), c, strings.NewReader("unrelated"), EvidenceInput{Name: "other.txt"})
	if err != nil {
		t.Fatal(err)
	}
	doc := "schema: case.v1\nperson:\n  name: Person 0\nstatus: pretrial\nmistreatment:\n  - date: 2024-02-01\n    kind: [beating]\n    evidence: [" + meta.ID + "]\n"
	parsed, err := schema.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(c, parsed); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ReadEvidence(context.Background(), e, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ShareCase(c, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "bundle.age")
	res, err := v.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: bundle})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Evidence) != 1 || res.Evidence[0] != meta.ID {
		t.Fatalf("bundle carries evidence %v, want [%s]", res.Evidence, meta.ID)
	}
	if err := v.VerifyEvidence(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	oid, _ := ParseEvidenceID(other.ID)
	if _, err := v.ReadEvidence(context.Background(), oid, io.Discard); err != nil {
		t.Fatal(err)
	}

	out, _, err := v.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := VerifyCustodyReport(out)
	if err != nil {
		t.Fatalf("VerifyCustodyReport: %v", err)
	}
	if got := custodyOps(r); got != "evidence.add evidence.get bundle.export evidence.verify" {
		t.Fatalf("custody entries: %s", got)
	}
	ev := r.Evidence
	if ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != int64(len(file)) || ev.Name != "report.pdf" || ev.Case != c.String() ||
		!ev.InVault || ev.AddedBy != "tester" || ev.CollectedBy != "A. Lawyer" || ev.AddedEntry != r.Entries[0].Seq {
		t.Fatalf("evidence: %+v", ev)
	}
	if !r.Chain.OK || len(r.Findings) != 0 {
		t.Fatalf("chain %+v findings %q", r.Chain, r.Findings)
	}
	if exp := r.Entries[2]; exp.ContentSHA256 != res.SHA256 || !slices.Contains(exp.Targets, res.BundleID) {
		t.Fatalf("export entry %+v, bundle %s %s", exp, res.BundleID, res.SHA256)
	}

	md, _, err := v.Custody(e, "md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| Original file name | report.pdf |", "| SHA-256 | `" + ev.SHA256 + "` |", "| Still in the vault | yes |",
		"added to the vault", "file read out of the vault", "sent to Beta Rights in encrypted bundle " + res.BundleID,
		"checked against its SHA-256: intact", "a chain-of-custody report was produced", "None: the item's history is complete"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown report lacks %q", want)
		}
	}
	if strings.Contains(string(md), other.ID) {
		t.Error("report mentions another evidence item")
	}

	// The partner's report of the same item.
	if _, err := partner.ImportBundle(context.Background(), bundle); err != nil {
		t.Fatal(err)
	}
	out, _, err = partner.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := VerifyCustodyReport(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := custodyOps(pr); !strings.HasPrefix(got, "evidence.import") || pr.Evidence.SHA256 != ev.SHA256 || len(pr.Findings) != 0 {
		t.Fatalf("partner's report: %s, %+v, findings %q", got, pr.Evidence, pr.Findings)
	}
}

func custodyOps(r *CustodyReport) string {
	var ops []string
	for _, ce := range r.Entries {
		ops = append(ops, string(ce.Op))
	}
	return strings.Join(ops, " ")
}

// A damaged file shows in the report as a failed verification; removing the
// case shows as the end of the item's custody.
func TestCustodyDamageAndRemoval(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	meta, err := v.AddEvidence(context.Background(), c, strings.NewReader("a photograph"), EvidenceInput{Name: "photo.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := ParseEvidenceID(meta.ID)
	tamperBlob(t, v, e, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	if err := v.VerifyEvidence(context.Background(), e); err == nil {
		t.Fatal("damaged evidence verifies")
	}
	if err := v.RemoveCase(c); err != nil {
		t.Fatal(err)
	}
	out, _, err := v.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := VerifyCustodyReport(out)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, ce := range r.Entries {
		ops = append(ops, string(ce.Op))
	}
	if got := strings.Join(ops, " "); got != "evidence.add evidence.verify-failed case.rm" {
		t.Fatalf("entries: %s", got)
	}
	if r.Evidence.InVault || r.Evidence.SHA256 != meta.SHA256 || len(r.Findings) != 1 || !strings.Contains(r.Findings[0], "Verification failed") {
		t.Fatalf("evidence %+v findings %q", r.Evidence, r.Findings)
	}
}

// A damaged evidence record does not stop the report: the log still tells
// the item's history, and the damage is a finding.
func TestCustodyDamagedRecord(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	meta, err := v.AddEvidence(context.Background(), c, strings.NewReader("a photograph"), EvidenceInput{Name: "photo.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := ParseEvidenceID(meta.ID)
	audRaw(t, v, func(txn *store.Txn) error { return txn.Set(evidenceKey(c, e), []byte("garbage")) })
	out, _, err := v.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := VerifyCustodyReport(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Evidence.SHA256 != meta.SHA256 || r.Evidence.AddedBy != "tester" || len(r.Findings) != 1 || !strings.Contains(r.Findings[0], "stored record is damaged") {
		t.Fatalf("evidence %+v findings %q", r.Evidence, r.Findings)
	}
}

// Names in the Markdown report (they may come from a partner's bundle)
// cannot carry terminal escapes or reordering marks.
func TestCustodyMarkdownEscapes(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	meta, err := v.AddEvidence(context.Background(), c, strings.NewReader("x"), EvidenceInput{Name: "evil\x1b[31m\u202efdp.exe|x", Source: "a\x07b"})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := ParseEvidenceID(meta.ID)
	md, _, err := v.Custody(e, "md")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(md, "\x1b\x07\u202e") {
		t.Fatalf("control characters in the report:\n%q", md)
	}
	if !strings.Contains(string(md), `evil\\u001b\[31m\\u202efdp.exe\|x`) || !strings.Contains(string(md), `a\\u0007b`) {
		t.Fatalf("names not escaped visibly:\n%s", md)
	}
}
