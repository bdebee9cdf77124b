package audit

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/cardfmt"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/ids"
)

// signedReport returns a custody report of entries, signed by id, as JSON.
func signedReport(t *testing.T, id *crypto.Identity, entries []Entry, edit func(*CustodyReport)) []byte {
	t.Helper()
	vk := id.VerifyKey()
	r := &CustodyReport{Format: CustodyFormat, Version: CustodyVersion, Generated: time.Unix(1.7e9, 0).UTC(), GeneratedBy: "tester",
		Org: "Org <One>", VerifyKey: base64.StdEncoding.EncodeToString(vk), Fingerprint: cardfmt.Fingerprint(id.RecipientString(), vk),
		Recipient: id.RecipientString(), Findings: []string{}}
	r.Evidence = CustodyItem{ID: "e1", Case: "c1", Name: "photo\u202egpj.exe", SHA256: strings.Repeat("ab", 32), InVault: true}
	r.Chain = CustodyChain{OK: true, Entries: len(entries), Head: Head{Seq: entries[len(entries)-1].Seq, Hash: entries[len(entries)-1].Hash()}}
	for _, e := range entries {
		r.Entries = append(r.Entries, NewCustodyEntry(e))
	}
	if edit != nil {
		edit(r)
	}
	r.Sig = id.Sign(r.Statement())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCustodyReportVerify: a report made as the vault makes it verifies,
// alone and against its organisation's card; an altered entry, statement
// or another organisation's card is refused as forged (category
// damaged), bytes that are no report as invalid.
func TestCustodyReportVerify(t *testing.T) {
	id := testIdentity(t)
	entries, _ := testChain(t, id, 5)
	entries[2].Targets = nil // listed as [] in the report, still the signed entry
	entries[2].Sig = id.Sign(entries[2].SignedMessage())
	b := signedReport(t, id, entries, nil)
	r, err := VerifyCustodyReport(b)
	if err != nil || len(r.Entries) != 5 || r.Entries[2].Targets == nil {
		t.Fatalf("VerifyCustodyReport: %v", err)
	}
	card := &cardfmt.Card{Org: "Org <One>", Recipient: id.RecipientString(), VerifyKey: id.VerifyKey(), Fingerprint: r.Fingerprint}
	if _, err := VerifyCustodyReportFrom(b, card); err != nil {
		t.Fatalf("VerifyCustodyReportFrom its own card: %v", err)
	}
	md := string(r.Markdown())
	if !strings.Contains(md, `photo\\u202egpj.exe`) || strings.Contains(md, "\u202e") || !strings.Contains(md, `Org \<One\>`) {
		t.Errorf("Markdown does not escape names:\n%s", md)
	}

	other := testIdentity(t)
	otherCard := &cardfmt.Card{Org: "Other", Recipient: other.RecipientString(), VerifyKey: other.VerifyKey(),
		Fingerprint: cardfmt.Fingerprint(other.RecipientString(), other.VerifyKey())}
	for name, data := range map[string][]byte{
		"entry altered": []byte(strings.Replace(string(b), `\"actor\":\"tester\"`, `\"actor\":\"tested\"`, 1)),
		"statement altered": func() []byte {
			var r CustodyReport
			_ = json.Unmarshal(b, &r)
			r.Findings = []string{}
			r.Evidence.InVault = false
			out, _ := json.Marshal(r)
			return out
		}(),
		"listed op differs": signedReport(t, id, entries, func(r *CustodyReport) { r.Entries[1].Op = OpEvidenceRm }),
	} {
		_, err := VerifyCustodyReport(data)
		var ce *CustodyReportError
		if !errors.As(err, &ce) || !ce.Forged || !errors.Is(err, errs.ErrDamaged) {
			t.Errorf("%s: got %v, want a forged report", name, err)
		}
	}
	if _, err := VerifyCustodyReportFrom(b, otherCard); !errors.Is(err, errs.ErrDamaged) || !strings.Contains(err.Error(), `not by "Other"`) {
		t.Errorf("another organisation's card: got %v", err)
	}
	if _, err := VerifyCustodyReport([]byte(`{"format":"something else"}`)); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("not a report: got %v", err)
	}
}

// TestCustodyTrace: the history of an item whose case was removed is
// found through the case named by the entry that brought the item in, and
// the findings say what a reader must know (a failed verification, a hash
// that disagrees, a removal the vault contradicts, an unknown item).
func TestCustodyTrace(t *testing.T) {
	c, c2, ev := ids.NewCaseID().String(), ids.NewCaseID().String(), ids.NewEvidenceID().String()
	sha, other := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	log := []Entry{
		{Seq: 1, Op: OpVaultInit},
		{Seq: 2, Op: OpCaseAdd, Targets: []string{c}},
		{Seq: 3, Op: OpEvidenceAdd, Targets: []string{ev, c}, ContentSHA256: sha, Actor: "ana", Time: time.Unix(1e9, 0)},
		{Seq: 4, Op: OpEvidenceGet, Targets: []string{ev, c}, ContentSHA256: sha},
		{Seq: 5, Op: OpEvidenceVerifyFailed, Targets: []string{ev, c}, ContentSHA256: other},
		{Seq: 6, Op: OpCaseRm, Targets: []string{c2}},
		{Seq: 7, Op: OpCaseRm, Targets: []string{c}},
	}
	// Gone from the vault: only its ID is known.
	r := &CustodyReport{Evidence: CustodyItem{ID: ev}}
	tr := NewCustodyTrace(r)
	for _, e := range log {
		tr.Add(e)
	}
	if !tr.Finish() {
		t.Fatal("Finish: item not found")
	}
	var seqs []uint64
	for _, e := range r.Entries {
		seqs = append(seqs, e.Seq)
	}
	if r.Evidence.Case != c || r.Evidence.SHA256 != sha || r.Evidence.AddedEntry != 3 || r.Evidence.AddedBy != "ana" ||
		fmt.Sprint(seqs) != "[3 4 5 7]" {
		t.Fatalf("trace: %+v, entries %v", r.Evidence, seqs)
	}
	if len(r.Findings) != 1 || !strings.Contains(r.Findings[0], "Verification failed at entry 5") {
		t.Errorf("findings %q", r.Findings)
	}

	// Still in the vault with another hash than the one recorded, although
	// the log records the removal of its case.
	r = &CustodyReport{Evidence: CustodyItem{ID: ev, Case: c, SHA256: other, InVault: true}}
	tr = NewCustodyTrace(r)
	for _, e := range log {
		tr.Add(e)
	}
	tr.Finish()
	all := strings.Join(r.Findings, "\n")
	for _, want := range []string{"differs from the one recorded when it was added (entry 3", "Entry 4 (evidence.get) records SHA-256 " + sha, "in the vault although an audit entry records its removal"} {
		if !strings.Contains(all, want) {
			t.Errorf("findings lack %q:\n%s", want, all)
		}
	}

	// An item neither the vault nor its log knows.
	r = &CustodyReport{Evidence: CustodyItem{ID: ids.NewEvidenceID().String()}}
	tr = NewCustodyTrace(r)
	for _, e := range log {
		tr.Add(e)
	}
	if tr.Finish() || len(r.Findings) != 0 {
		t.Errorf("unknown item: Finish true or findings %q", r.Findings)
	}
}
