package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A member cannot sign entries under another member's name: an entry
// signed with Anna's key that names Boris (written by a modified client,
// linked and the head moved as usual) breaks the chain at that entry,
// and the log shows Anna (the name bound to the key) as its signer.
func TestStaffEntryUnderAnotherName(t *testing.T) {
	dir, v := coreInit(t, true)
	anna, annaCard := staffIdentity(t, "Anna", true)
	_, borisCard := staffIdentity(t, "Boris", true)
	for _, c := range [][]byte{annaCard, borisCard} {
		if _, err := v.AddStaff(c, false); err != nil {
			t.Fatal(err)
		}
	}
	v.Close()
	sv, err := staffOpen(t, dir, anna)
	if err != nil {
		t.Fatal(err)
	}
	coreAdd(t, sv, coreIvan)
	if _, err := sv.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("honest chain: %v", err)
	}
	// A modified client: Anna's key, Boris's name, properly chained.
	sv.staff.member.Name = "Boris"
	coreAdd(t, sv, syncCase("Claimed Elsewhere"))
	head, _ := sv.AuditHead()
	var brk *AuditBreak
	if _, err := sv.VerifyAudit(context.Background()); !errors.As(err, &brk) || brk.Seq != head.Seq || !strings.Contains(brk.Reason, `"Boris"`) || !strings.Contains(brk.Reason, `"Anna"`) {
		t.Fatalf("entry by Anna naming Boris: %v, want a break at %d naming both", err, head.Seq)
	}
	var shown string
	if err := sv.AuditLog(AuditFilter{}, func(e AuditEntry) error {
		if e.Seq == head.Seq {
			shown = e.SignedBy
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if shown != "Anna" {
		t.Fatalf("log shows the entry signed by %q, want Anna", shown)
	}
}

// A member removed and re-admitted under another name: entries of both
// memberships verify (no false alarm), each by its own card.
func TestStaffReadmittedRenamedVerifies(t *testing.T) {
	dir, v := coreInit(t, true)
	anna, card := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	v.Close()
	sv, err := staffOpen(t, dir, anna)
	if err != nil {
		t.Fatal(err)
	}
	coreAdd(t, sv, coreIvan)
	sv.Close()
	v, err = Open(dir, corePassphrase(corePass), Options{Author: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RemoveStaff(context.Background(), "Anna"); err != nil {
		t.Fatal(err)
	}
	renamed, err := StaffCard(anna, "Anna Petrova")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddStaff(renamed, true); err != nil {
		t.Fatal(err)
	}
	v.Close()
	sv, err = staffOpen(t, dir, anna)
	if err != nil {
		t.Fatal(err)
	}
	coreAdd(t, sv, syncCase("Second Period"))
	if _, err := sv.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("re-admitted under a new name: %v", err)
	}
}
