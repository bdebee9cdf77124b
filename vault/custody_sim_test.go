package vault

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestCustodySimulated builds the custody report of an item whose history
// (add, get, bundle export, verify, rm) is appended through the internal
// hook, as the evidence and bundle features record it, and checks the
// report as a program would.
func TestCustodySimulated(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	e, other := NewEvidenceID(), NewEvidenceID()
	sum := sha256.Sum256([]byte("the file"))
	tg := []string{e.String(), c.String()}
	audAppendHash(t, v, "evidence.add", tg, sum[:])
	audAppendHash(t, v, "evidence.add", []string{other.String(), c.String()}, sum[:])
	audAppendHash(t, v, "evidence.get", tg, sum[:])
	b := NewBundleID().String()
	audAppendEntry(t, v, "bundle.export", []string{b, "Partner Group", c.String(), e.String()}, []byte("bundle file"))
	audAppendHash(t, v, "evidence.verify", tg, sum[:])
	audAppendHash(t, v, "evidence.get", []string{other.String(), c.String()}, sum[:])
	audAppendHash(t, v, "evidence.rm", tg, sum[:])

	out, rep, err := v.Custody(e, "json")
	if err != nil {
		t.Fatalf("Custody: %v", err)
	}
	got, err := VerifyCustodyReport(out)
	if err != nil {
		t.Fatalf("VerifyCustodyReport: %v\n%s", err, out)
	}
	var ops []string
	for _, ce := range got.Entries {
		ops = append(ops, string(ce.Op))
	}
	if s := strings.Join(ops, " "); s != "evidence.add evidence.get bundle.export evidence.verify evidence.rm" {
		t.Fatalf("entries: %s", s)
	}
	ev := got.Evidence
	if ev.SHA256 != hashHex([]byte("the file")) || ev.AddedBy != "tester" || ev.AddedEntry != 3 || ev.Case != c.String() || ev.InVault {
		t.Fatalf("evidence = %+v", ev)
	}
	if !got.Chain.OK || got.Chain.Entries != 9 || got.RecordedAs != 10 || len(got.Findings) != 0 {
		t.Fatalf("chain %+v, recorded as %d, findings %q", got.Chain, got.RecordedAs, got.Findings)
	}
	if rep.RecordedAs != 10 {
		t.Fatal("returned report differs")
	}
	// The report is entry 10, with the file's hash.
	last := audEntry(t, v, 10)
	if last.Op != "custody.report" || last.ContentSHA256 != hashHex(out) || !last.HasTarget(e.String()) {
		t.Fatalf("entry 10 = %+v", last)
	}

	// A second report, in Markdown, lists the first one.
	md, rep2, err := v.Custody(e, "md")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep2.Entries); n != 6 || rep2.Entries[5].Op != "custody.report" {
		t.Fatalf("second report: %d entries", n)
	}
	if p := os.Getenv("CUSTODY_DUMP"); p != "" {
		_ = os.WriteFile(p, md, 0o600)
	}
	for _, want := range []string{"# Chain-of-custody report: evidence " + e.String(), "| 3 | ", "added to the vault",
		"file read out of the vault", "sent to Partner Group in encrypted bundle " + b, "checked against its SHA-256: intact",
		"removed from the vault", "all 10 entries", "None: the item's history is complete", rep2.VerifyKey, rep2.Fingerprint} {
		if !strings.Contains(string(md), want) {
			t.Errorf("Markdown report lacks %q:\n%s", want, md)
		}
	}
}

// TestCustodyReportTampering changes a JSON report in the ways a forger
// would and requires VerifyCustodyReport to refuse each.
func TestCustodyReportTampering(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	e := NewEvidenceID()
	sum := sha256.Sum256([]byte("the file"))
	audAppendHash(t, v, "evidence.add", []string{e.String(), c.String()}, sum[:])
	audAppendHash(t, v, "evidence.get", []string{e.String(), c.String()}, sum[:])
	out, rep, err := v.Custody(e, "json")
	if err != nil {
		t.Fatal(err)
	}
	// The item was never stored (simulated entries): the report has a
	// finding to delete.
	if len(rep.Findings) != 1 {
		t.Fatalf("findings %q", rep.Findings)
	}
	edits := map[string]func(r map[string]any){
		"actor of an entry": func(r map[string]any) { r["entries"].([]any)[1].(map[string]any)["actor"] = "someone else" },
		"entry dropped":     func(r map[string]any) { r["entries"] = r["entries"].([]any)[:1] },
		"item hash":         func(r map[string]any) { r["evidence"].(map[string]any)["sha256"] = strings.Repeat("0", 64) },
		"chain state":       func(r map[string]any) { r["chain"].(map[string]any)["entries"] = 99 },
		"signed json edited": func(r map[string]any) {
			e := r["entries"].([]any)[0].(map[string]any)
			e["signed_json"] = strings.Replace(e["signed_json"].(string), "tester", "nobody", 1)
		},
		"entry json edited": func(r map[string]any) {
			e := r["entries"].([]any)[0].(map[string]any)
			e["entry_json"] = strings.Replace(e["entry_json"].(string), "tester", "nobody", 1)
		},
		"finding deleted": func(r map[string]any) { r["findings"] = []any{} },
		"finding edited":  func(r map[string]any) { r["findings"] = []any{"None."} },
		"collected by":    func(r map[string]any) { r["evidence"].(map[string]any)["collected_by"] = "someone" },
		"in vault":        func(r map[string]any) { r["evidence"].(map[string]any)["in_vault"] = true },
		"case":            func(r map[string]any) { r["evidence"].(map[string]any)["case"] = "caaaaaaaaaaaaaaaa" },
		"added by":        func(r map[string]any) { r["evidence"].(map[string]any)["added_by"] = "someone" },
		"organisation":    func(r map[string]any) { r["org"] = "Other Group" },
		"generated by":    func(r map[string]any) { r["generated_by"] = "someone" },
		"fingerprint":     func(r map[string]any) { r["fingerprint"] = "aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa" },
		"recipient":       func(r map[string]any) { r["recipient"] = "age1qqqq" },
	}
	for name, edit := range edits {
		var r map[string]any
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		edit(r)
		b, _ := json.Marshal(r)
		if _, err := VerifyCustodyReport(b); err == nil {
			t.Errorf("%s: altered report verifies", name)
		}
	}
	if _, err := VerifyCustodyReport(out); err != nil {
		t.Fatalf("unaltered report: %v", err)
	}
}

func TestCustodyBrokenChainAndUnknown(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	c := audAdd(t, v, 1)[0]
	e := NewEvidenceID()
	sum := sha256.Sum256([]byte("the file"))
	audAppendHash(t, v, "evidence.add", []string{e.String(), c.String()}, sum[:])
	auditHookEdit(t, v, 2, false, func(ae *AuditEntry) { ae.Actor = "forger" })
	out, rep, err := v.Custody(e, "md")
	var brk *AuditBreak
	if !errors.As(err, &brk) || brk.Seq != 2 {
		t.Fatalf("Custody on a broken chain: %v", err)
	}
	if rep.Chain.OK || !strings.Contains(string(out), "The audit log is broken at entry 2") {
		t.Fatalf("report does not say the chain is broken:\n%s", out)
	}
	if _, _, err := v.Custody(NewEvidenceID(), "md"); !IsNotFound(err) {
		t.Fatalf("unknown evidence: %v", err)
	}
}
