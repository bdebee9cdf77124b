package vault

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// audWitnessPair makes a sender vault with some history and a partner vault
// that received two of the sender's heads (as bundle imports would record
// them), and returns the partner's exported witness file.
func audWitnessPair(t *testing.T) (sender *Vault, witnessed []AuditHead, file []byte) {
	t.Helper()
	_, sender = audVault(t, "Sender Group")
	_, partner := audVault(t, "Partner Group")
	receive := func(h AuditHead, bundle string) {
		t.Helper()
		err := partner.commit(func(c *change) error {
			c.audit("bundle.import", []string{bundle}, nil)
			return c.recordWitness(Witness{Org: "Sender Group", Head: h, BundleID: bundle,
				Received: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), VerifyKey: sender.Identity().VerifyKey()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	audAdd(t, sender, 3)
	h1, err := sender.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	receive(h1, NewBundleID().String())
	audAdd(t, sender, 2)
	h2, err := sender.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	receive(h2, NewBundleID().String())
	file, err = partner.ExportWitness("Sender Group")
	if err != nil {
		t.Fatalf("ExportWitness: %v", err)
	}
	var last AuditEntry
	if err := partner.AuditEntries(func(e AuditEntry) error { last = e; return nil }); err != nil {
		t.Fatal(err)
	}
	if last.Op != "audit.witness" {
		t.Fatalf("export not audited: last op %q", last.Op)
	}
	if _, err := partner.ExportWitness("Nobody"); !IsNotFound(err) {
		t.Fatalf("ExportWitness of an unknown org: %v", err)
	}
	return sender, []AuditHead{h1, h2}, file
}

func TestWitnessPassesAfterFurtherChanges(t *testing.T) {
	sender, heads, file := audWitnessPair(t)
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatalf("ParseWitnessFile: %v\n%s", err, file)
	}
	if f.Holder != "Partner Group" || f.Subject != "Sender Group" || len(f.Heads) != 2 {
		t.Fatalf("witness file = %+v", f)
	}
	ids := audAdd(t, sender, 2)
	if err := sender.RemoveCase(ids[0]); err != nil {
		t.Fatal(err)
	}
	res, err := sender.VerifyWitness(f)
	if err != nil {
		t.Fatalf("VerifyWitness after honest changes: %v", err)
	}
	if res.Heads != 2 || res.Newest != heads[1].Seq || !res.SubjectKeyChecked || res.Entries != 9 {
		t.Fatalf("result = %+v", res)
	}
}

func TestWitnessCatchesRewrite(t *testing.T) {
	sender, heads, file := audWitnessPair(t)
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The key holder rewrites entry 2 and everything after it: the chain
	// verifies, the witness does not.
	auditHookRewrite(t, sender, 2, func(e *AuditEntry) { e.Actor = "nobody did this" })
	if _, err := sender.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("chain after rewrite: %v", err)
	}
	_, err = sender.VerifyWitness(f)
	audBreak(t, err, heads[0].Seq, "history rewritten")
}

func TestWitnessCatchesRollback(t *testing.T) {
	sender, heads, file := audWitnessPair(t)
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatal(err)
	}
	auditHookTruncate(t, sender, heads[1].Seq-1, true)
	if _, err := sender.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("chain after truncation with head rewritten: %v", err)
	}
	_, err = sender.VerifyWitness(f)
	audBreak(t, err, heads[1].Seq, "log now ends at entry")
}

func TestWitnessFileChecks(t *testing.T) {
	sender, _, file := audWitnessPair(t)

	// A changed byte in a head breaks the holder's signature.
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(file, []byte(f.Heads[0].Hash[:8]), []byte("00000000"), 1)
	if _, err := ParseWitnessFile(bad); !isWitnessFileError(err, "signature does not verify") {
		t.Fatalf("altered file: %v", err)
	}
	for _, in := range []string{"", "{", `{"format":"other","version":1}`, strings.Replace(string(file), `"version": 1`, `"version": 2`, 1),
		strings.Replace(string(file), `"heads"`, `"extra": 1, "heads"`, 1)} {
		if _, err := ParseWitnessFile([]byte(in)); !isWitnessFileError(err, "") {
			t.Errorf("ParseWitnessFile(%.40q) = %v, want a *WitnessFileError", in, err)
		}
	}

	// A witness of another organisation's log is refused, not reported as
	// a rewrite.
	_, other := audVault(t, "Other Group")
	if _, err := other.VerifyWitness(f); !isWitnessFileError(err, "not this vault's") {
		t.Fatalf("witness of another log: %v", err)
	}

	// A witness signed by the vault's own key proves nothing.
	f.HolderVerifyKey = sender.Identity().VerifyKey()
	f.Sig = sender.Identity().Sign(f.SignedMessage())
	if _, err := sender.VerifyWitness(f); !isWitnessFileError(err, "own key") {
		t.Fatalf("self-made witness: %v", err)
	}
}

func isWitnessFileError(err error, want string) bool {
	var we *WitnessFileError
	return errors.As(err, &we) && strings.Contains(we.Reason, want)
}

// TestWitnessThroughBundles runs the witness procedure end to end with real
// bundles: the sender's head travels in a bundle, the partner's import
// records it, the partner exports a witness file, and the sender's log is
// checked against it before and after a key holder's rewrite.
func TestWitnessThroughBundles(t *testing.T) {
	_, a := audVault(t, "Alpha Defence")
	_, b := audVault(t, "Beta Rights")
	introduce(t, a, b)
	introduce(t, b, a)
	c, err := a.AddCase(audCase(t, "Ivan Petrov"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ShareCase(c, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	head, err := a.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights")); err != nil {
		t.Fatal(err)
	}
	ws, err := b.Witnesses("Alpha Defence")
	if err != nil || len(ws) != 1 || ws[0].Head != head {
		t.Fatalf("witnesses held by the partner: %+v, %v (sender's head was %+v)", ws, err, head)
	}
	file, err := b.ExportWitness("Alpha Defence")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatal(err)
	}
	audAdd(t, a, 2)
	if res, err := a.VerifyWitness(f); err != nil || res.Heads != 1 || res.Newest != head.Seq {
		t.Fatalf("VerifyWitness: %+v, %v", res, err)
	}
	auditHookRewrite(t, a, head.Seq, func(e *AuditEntry) { e.Time = e.Time.Add(-time.Hour) })
	if _, err := a.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("chain after rewrite: %v", err)
	}
	_, err = a.VerifyWitness(f)
	audBreak(t, err, head.Seq, "history rewritten")
}

// Heads recorded by hand (audit head into a letter) catch a rewrite too.
func TestVerifyHeadsRecordedByHand(t *testing.T) {
	_, v := audVault(t, "Sender Group")
	audAdd(t, v, 2)
	h, err := v.AuditHead()
	if err != nil {
		t.Fatal(err)
	}
	audAdd(t, v, 2)
	if res, err := v.VerifyHeads([]AuditHead{h}); err != nil || res.Heads != 1 || res.Newest != h.Seq {
		t.Fatalf("VerifyHeads: %+v, %v", res, err)
	}
	auditHookRewrite(t, v, 2, func(e *AuditEntry) { e.Actor = "someone else" })
	_, err = v.VerifyHeads([]AuditHead{h})
	audBreak(t, err, h.Seq, "entry differs from the one recorded")
}

// Witnesses survive a rekey of the holder's vault (their keys are MACs
// under the sys key, which rekey changes).
func TestWitnessSurvivesRekey(t *testing.T) {
	_, a := audVault(t, "Alpha Defence")
	_, b := audVault(t, "Beta Rights")
	introduce(t, a, b)
	introduce(t, b, a)
	c, err := a.AddCase(audCase(t, "Ivan Petrov"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ShareCase(c, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	file, err := b.ExportWitness("Alpha Defence")
	if err != nil {
		t.Fatalf("ExportWitness after rekey: %v", err)
	}
	f, err := ParseWitnessFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := a.VerifyWitness(f); err != nil || res.Heads != 1 || !res.SubjectKeyChecked {
		t.Fatalf("VerifyWitness: %+v, %v", res, err)
	}
}
