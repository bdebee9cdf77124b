package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/keys"
	"github.com/casevault/casevault/vault/internal/store"
)

// staffIdentity makes a colleague's identity and card.
func staffIdentity(t testing.TB, name string, classic bool) (*crypto.Identity, []byte) {
	t.Helper()
	id, err := crypto.GenerateIdentity(classic)
	if err != nil {
		t.Fatal(err)
	}
	card, err := StaffCard(id, name)
	if err != nil {
		t.Fatal(err)
	}
	return id, card
}

func staffOpen(t testing.TB, dir string, id *crypto.Identity) (*Vault, error) {
	t.Helper()
	v, err := Open(dir, Unlock{Identity: id}, Options{Author: "label-only"})
	if err == nil {
		t.Cleanup(func() { v.Close() })
	}
	return v, err
}

// A colleague added with their card opens the vault with their own
// identity (classic and post-quantum), and every entry they make is signed
// by them and named after them; the chain verifies for owner and member;
// what needs the organisation identity is refused to them.
func TestStaffAddOpenSign(t *testing.T) {
	for _, classic := range []bool{true, false} {
		dir, v := coreInit(t, true)
		anna, card := staffIdentity(t, "Anna", classic)
		m, err := v.AddStaff(card, false)
		if err != nil {
			t.Fatalf("AddStaff: %v", err)
		}
		if m.Name != "Anna" || m.ID != StaffIDOf(anna.VerifyKey()) {
			t.Fatalf("AddStaff = %+v", m)
		}
		if fi, err := os.Stat(filepath.Join(dir, staffDir, m.ID+staffWrapExt)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("wrap file: %v %v", fi, err)
		}
		v.Close()

		sv, err := staffOpen(t, dir, anna)
		if err != nil {
			t.Fatalf("classic=%v: Open with the member's identity: %v", classic, err)
		}
		if cs := sv.CurrentStaff(); cs.Name != "Anna" || cs.Owner || sv.IsOwner() {
			t.Fatalf("CurrentStaff = %+v", cs)
		}
		coreAdd(t, sv, coreIvan)
		head, _ := sv.AuditHead()
		var last AuditEntry
		sv.view(func(txn *store.Txn) error { last, err = sv.auditEntryAt(txn, head.Seq); return err })
		if last.Staff != "Anna" || string(last.StaffKey) != string(anna.VerifyKey()) || last.Actor != "label-only" {
			t.Fatalf("last entry: staff %q key %x actor %q", last.Staff, last.StaffKey, last.Actor)
		}
		coreVerifyAudit(t, sv, -1)
		if _, err := sv.Rekey(context.Background()); !errors.Is(err, ErrNeedOwner) {
			t.Fatalf("Rekey by a member: %v, want ErrNeedOwner", err)
		}
		if _, err := sv.Card(); !errors.Is(err, ErrNeedOwner) {
			t.Fatalf("Card by a member: %v, want ErrNeedOwner", err)
		}
		sv.Close()
		ov := coreOpen(t, dir)
		coreVerifyAudit(t, ov, -1)
		st, err := ov.Staff()
		if err != nil || len(st) != 2 || !st[0].Owner || st[1].Name != "Anna" {
			t.Fatalf("Staff = %+v, %v", st, err)
		}
		ov.Close()
	}
}

// After staff rm the removed identity opens nothing: it has no wrap, its
// old wrap planted back is refused, and the old master key it held does not
// open a record written after the removal. The remaining member still
// opens the vault (their wrap was rewritten under the new master key).
func TestStaffRemovedCannotOpen(t *testing.T) {
	dir, v := coreInit(t, true)
	anna, annaCard := staffIdentity(t, "Anna", true)
	boris, borisCard := staffIdentity(t, "Boris", true)
	for _, c := range [][]byte{annaCard, borisCard} {
		if _, err := v.AddStaff(c, false); err != nil {
			t.Fatal(err)
		}
	}
	annaWrap := filepath.Join(dir, staffDir, StaffIDOf(anna.VerifyKey())+staffWrapExt)
	oldWrap, err := os.ReadFile(annaWrap)
	if err != nil {
		t.Fatal(err)
	}
	oldMK := v.mk
	if _, err := v.RemoveStaff(context.Background(), "Anna"); err != nil {
		t.Fatalf("RemoveStaff: %v", err)
	}
	if v.mk == oldMK {
		t.Fatal("the master key did not change")
	}
	id := coreAdd(t, v, coreIvan)
	v.Close()

	if _, err := staffOpen(t, dir, anna); !errors.Is(err, ErrWrongIdentity) {
		t.Fatalf("removed member's open: %v, want ErrWrongIdentity", err)
	}
	if err := os.WriteFile(annaWrap, oldWrap, 0o600); err != nil {
		t.Fatal(err)
	}
	if sv, err := staffOpen(t, dir, anna); err == nil {
		sv.Close()
		t.Fatal("the removed member's old wrap planted back opened the vault")
	}
	bv, err := staffOpen(t, dir, boris)
	if err != nil {
		t.Fatalf("remaining member's open: %v", err)
	}
	// The record written after the removal does not open under the old
	// master key's derived keys.
	old := deriveKeys(oldMK)
	var sealed []byte
	bv.view(func(txn *store.Txn) error {
		item, err := txn.Get(caseKeyKey(id))
		if err == nil {
			sealed, err = item.ValueCopy(nil)
		}
		return err
	})
	if _, err := openRecord(caseKeyKey(id), old.caseKEK, sealed); err == nil {
		t.Fatal("the old master key opens a case key written after the removal")
	}
	bv.Close()
	// The owner's open removed the planted wrap.
	ov := coreOpen(t, dir)
	if _, err := os.Lstat(annaWrap); err == nil {
		t.Fatal("the planted wrap of a removed member is still there after the owner's open")
	}
	coreVerifyAudit(t, ov, -1)
}

// A removed colleague's card is not re-added without --readmit; the same
// card or name twice is refused.
func TestStaffReaddRemoved(t *testing.T) {
	_, v := coreInit(t, true)
	_, card := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddStaff(card, false); !errors.Is(err, ErrStaffExists) {
		t.Fatalf("second add: %v, want ErrStaffExists", err)
	}
	_, other := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(other, false); !errors.Is(err, ErrStaffExists) {
		t.Fatalf("same name, other key: %v, want ErrStaffExists", err)
	}
	if _, err := v.RemoveStaff(context.Background(), "Anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddStaff(card, false); !errors.Is(err, ErrStaffRemoved) {
		t.Fatalf("re-add of a removed card: %v, want ErrStaffRemoved", err)
	}
	if _, err := v.AddStaff(card, true); err != nil {
		t.Fatalf("re-add with readmit: %v", err)
	}
	coreVerifyAudit(t, v, -1)
}

// Hostile wrap files: one planted for an unknown identity is removed by the
// owner's open and opens nothing; a colleague's wrap from another vault
// swapped in is refused as damage; a wrap renamed into another member's
// slot is refused.
func TestStaffWrapHostile(t *testing.T) {
	dirA, a := coreInit(t, true)
	dirB, b := coreInit(t, true)
	anna, card := staffIdentity(t, "Anna", true)
	boris, bcard := staffIdentity(t, "Boris", true)
	for _, v := range []*Vault{a, b} {
		if _, err := v.AddStaff(card, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.AddStaff(bcard, false); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()
	annaName := StaffIDOf(anna.VerifyKey()) + staffWrapExt
	borisName := StaffIDOf(boris.VerifyKey()) + staffWrapExt

	// Planted for an unknown identity.
	stranger, _ := staffIdentity(t, "Mallory", true)
	planted := filepath.Join(dirA, staffDir, StaffIDOf(stranger.VerifyKey())+staffWrapExt)
	ct, _ := crypto.EncryptToRecipients([]byte(`{"format":"casevault-staff-wrap"}`), stranger.Recipient())
	os.WriteFile(planted, ct, 0o600)
	if _, err := staffOpen(t, dirA, stranger); err == nil {
		t.Fatal("a planted wrap opened the vault")
	}
	ov := coreOpen(t, dirA)
	ov.Close()
	if _, err := os.Lstat(planted); err == nil {
		t.Fatal("the owner's open left a planted wrap file")
	}

	// Swapped in from vault B.
	good, _ := os.ReadFile(filepath.Join(dirA, staffDir, annaName))
	fromB, _ := os.ReadFile(filepath.Join(dirB, staffDir, annaName))
	os.WriteFile(filepath.Join(dirA, staffDir, annaName), fromB, 0o600)
	var ce *CorruptError
	if _, err := staffOpen(t, dirA, anna); !errors.As(err, &ce) {
		t.Fatalf("wrap from another vault: %v, want damage", err)
	}
	os.WriteFile(filepath.Join(dirA, staffDir, annaName), good, 0o600)
	if sv, err := staffOpen(t, dirA, anna); err != nil {
		t.Fatalf("restored wrap: %v", err)
	} else {
		sv.Close()
	}

	// Anna's wrap in Boris's slot: Boris's identity cannot decrypt it, and
	// a wrap naming another member is refused even where it decrypts.
	bgood, _ := os.ReadFile(filepath.Join(dirA, staffDir, borisName))
	os.WriteFile(filepath.Join(dirA, staffDir, borisName), good, 0o600)
	if _, err := staffOpen(t, dirA, boris); !errors.As(err, &ce) {
		t.Fatalf("another member's wrap in the slot: %v, want damage", err)
	}
	os.WriteFile(filepath.Join(dirA, staffDir, borisName), bgood, 0o600)
}

// An entry signed by a key that is not a staff member at that point breaks
// the chain, as does a staff.add signed by a member.
func TestStaffForgedEntryBreaksChain(t *testing.T) {
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
	head, _ := sv.AuditHead()
	// A stranger re-signs Anna's last entry with their own key.
	stranger, _ := staffIdentity(t, "Mallory", true)
	auditHookEdit(t, sv, head.Seq, false, func(e *AuditEntry) {
		e.StaffKey = stranger.VerifyKey()
		e.Sig = stranger.Sign(e.SignedMessage())
	})
	var brk *AuditBreak
	if _, err := sv.VerifyAudit(context.Background()); !errors.As(err, &brk) || brk.Seq != head.Seq {
		t.Fatalf("entry by a non-member: %v, want a break at %d", err, head.Seq)
	}
}

// The vault of the previous version opens, has one staff member (the
// owner), takes a colleague, and the colleague's entries verify.
func TestPreviousVaultStaff(t *testing.T) {
	dir, _, u := previousVault(t)
	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := v.Staff()
	if err != nil || len(st) != 1 || !st[0].Owner || st[0].Name != keys.OwnerName {
		t.Fatalf("Staff of the previous vault = %+v, %v", st, err)
	}
	anna, card := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	v.Close()
	sv, err := staffOpen(t, dir, anna)
	if err != nil {
		t.Fatalf("member's open of the upgraded previous vault: %v", err)
	}
	coreAdd(t, sv, coreIvan)
	coreVerifyAudit(t, sv, -1)
}

// A custody report made by the owner over evidence a member added
// verifies: the member's entries are checked with their key, vouched for
// by the organisation's signature over the report.
func TestStaffCustodyReportVerifies(t *testing.T) {
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
	c := coreAdd(t, sv, coreIvan)
	m, err := sv.AddEvidence(context.Background(), c, strings.NewReader("scan"), EvidenceInput{Name: "scan.png"})
	if err != nil {
		t.Fatal(err)
	}
	eid, err := ParseEvidenceID(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := sv.Custody(eid, "json"); !errors.Is(err, ErrNeedOwner) {
		t.Fatalf("custody by a member: %v, want ErrNeedOwner", err)
	}
	sv.Close()
	ov := coreOpen(t, dir)
	out, _, err := ov.Custody(eid, "json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyCustodyReport(out); err != nil {
		t.Fatalf("VerifyCustodyReport of a report over a member's entries: %v", err)
	}
}

// A staff/ directory replaced by a link to another directory: the owner's
// open does not shred the private files it points to.
func TestStaffDirLinkNotFollowed(t *testing.T) {
	dir, v := coreInit(t, true)
	_, card := staffIdentity(t, "Anna", true)
	if _, err := v.AddStaff(card, false); err != nil {
		t.Fatal(err)
	}
	v.Close()
	elsewhere := t.TempDir()
	precious := filepath.Join(elsewhere, "precious.key")
	os.WriteFile(precious, []byte("secret"), 0o600)
	os.RemoveAll(filepath.Join(dir, staffDir))
	if err := os.Symlink(elsewhere, filepath.Join(dir, staffDir)); err != nil {
		t.Skip("no symbolic links here")
	}
	ov := coreOpen(t, dir)
	ov.Close()
	if b, err := os.ReadFile(precious); err != nil || string(b) != "secret" {
		t.Fatalf("a file behind a linked staff/ was touched: %q %v", b, err)
	}
}
