package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/store"
)

// audBreak requires err to be an *AuditBreak at seq whose reason contains
// want.
func audBreak(t *testing.T, err error, seq uint64, want string) {
	t.Helper()
	var b *AuditBreak
	if !errors.As(err, &b) {
		t.Fatalf("VerifyAudit: got %v, want an *AuditBreak at entry %d", err, seq)
	}
	if b.Seq != seq || !strings.Contains(b.Reason, want) {
		t.Fatalf("VerifyAudit: got break at %d (%s), want at %d mentioning %q", b.Seq, b.Reason, seq, want)
	}
}

func TestAuditChainIntact(t *testing.T) {
	dir, v := audVault(t, "Test Defence Group")
	ids := audAdd(t, v, 3)
	if _, err := v.UpdateCase(ids[0], audCase(t, "Person 0 renamed")); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveCase(ids[1]); err != nil {
		t.Fatal(err)
	}
	v = audReopen(t, v, dir)
	n, err := v.VerifyAudit(context.Background())
	if err != nil || n != 6 {
		t.Fatalf("VerifyAudit = %d, %v; want 6, nil", n, err)
	}
	var ops []string
	if err := v.AuditEntries(func(e AuditEntry) error { ops = append(ops, string(e.Op)); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ops, " "); got != "vault.init case.add case.add case.add case.update case.rm" {
		t.Fatalf("ops = %s", got)
	}
	head, err := v.AuditHead()
	if err != nil || head.Seq != 6 || head.Hash != audEntry(t, v, 6).Hash() {
		t.Fatalf("head = %+v, %v", head, err)
	}
	e := audEntry(t, v, 5)
	if e.Actor != "tester" || !e.HasTarget(ids[0].String()) || len(e.ContentSHA256) != 64 || e.Prev != audEntry(t, v, 4).Hash() {
		t.Fatalf("entry 5 = %+v", e)
	}
}

func TestAuditTamperDetected(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, v *Vault)
		seq    uint64
		reason string
	}{
		{"delete middle", func(t *testing.T, v *Vault) { auditHookDelete(t, v, 3) }, 3, "expected entry 3, found entry 4"},
		{"delete first", func(t *testing.T, v *Vault) { auditHookDelete(t, v, 1) }, 1, "expected entry 1, found entry 2"},
		{"delete last", func(t *testing.T, v *Vault) { auditHookDelete(t, v, 6) }, 6, "entries removed at the end"},
		{"delete all but head", func(t *testing.T, v *Vault) {
			for s := uint64(1); s <= 6; s++ {
				auditHookDelete(t, v, s)
			}
		}, 1, "log has no entries"},
		{"truncate with head", func(t *testing.T, v *Vault) {
			auditHookTruncate(t, v, 0+1, false)
			audRaw(t, v, func(txn *store.Txn) error { return txn.Delete(auditHeadKey()) })
			auditHookDelete(t, v, 1)
		}, 1, "log has no entries"},
		{"swap", func(t *testing.T, v *Vault) { auditHookSwap(t, v, 2, 4) }, 2, "expected entry 2, found entry 4"},
		{"swap adjacent", func(t *testing.T, v *Vault) { auditHookSwap(t, v, 5, 6) }, 5, "expected entry 5, found entry 6"},
		{"edit actor, not re-signed", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 4, false, func(e *AuditEntry) { e.Actor = "someone else" })
		}, 4, "signature does not verify"},
		{"edit time, re-signed", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 3, true, func(e *AuditEntry) { e.Time = e.Time.Add(-48 * time.Hour) })
		}, 4, "link to entry 3 does not match"},
		{"edit targets of last, re-signed", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 6, true, func(e *AuditEntry) { e.Targets = []string{"cbbbbbbbbbbbbbbbb"} })
		}, 6, "head's hash does not match"},
		{"edit seq, re-signed", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 5, true, func(e *AuditEntry) { e.Seq = 7 })
		}, 5, "expected entry 5, found entry 7"},
		{"bad signature before a removal", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 2, false, func(e *AuditEntry) { e.Op = "case.rm" })
			auditHookDelete(t, v, 5)
		}, 2, "signature does not verify"},
		{"removal before a bad signature", func(t *testing.T, v *Vault) {
			auditHookDelete(t, v, 2)
			auditHookEdit(t, v, 5, false, func(e *AuditEntry) { e.Op = "case.rm" })
		}, 2, "expected entry 2, found entry 3"},
		{"two bad signatures", func(t *testing.T, v *Vault) {
			auditHookEdit(t, v, 6, false, func(e *AuditEntry) { e.Actor = "x" })
			auditHookEdit(t, v, 3, false, func(e *AuditEntry) { e.Actor = "x" })
		}, 3, "signature does not verify"},
		{"insert middle", func(t *testing.T, v *Vault) { auditHookInsert(t, v, 2, "case.add", []string{"cbbbbbbbbbbbbbbbb"}) }, 4, "expected entry 4, found entry 3"},
		{"insert at end without head", func(t *testing.T, v *Vault) {
			last := audEntry(t, v, 6)
			e := AuditEntry{Seq: 7, Time: last.Time, Op: "case.rm", Actor: "intruder", Prev: last.Hash()}
			e.Sig = v.id.Sign(e.SignedMessage())
			audRaw(t, v, func(txn *store.Txn) error { return audSeal(txn, v, auditKey(7), e) })
		}, 7, "entries follow it up to 7"},
		{"garbage in an entry", func(t *testing.T, v *Vault) {
			audRaw(t, v, func(txn *store.Txn) error { return txn.Set(auditKey(3), []byte("not a sealed record")) })
		}, 3, "entry does not open"},
		{"entry moved to another key", func(t *testing.T, v *Vault) {
			// A sealed value copied to another key fails to open there
			// (its additional data names its key).
			var sealed []byte
			audRaw(t, v, func(txn *store.Txn) error {
				item, err := txn.Get(auditKey(2))
				if err != nil {
					return err
				}
				sealed, err = item.ValueCopy(nil)
				if err != nil {
					return err
				}
				return txn.Set(auditKey(3), sealed)
			})
		}, 3, "entry does not open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, v := audVault(t, "Test Defence Group")
			audAdd(t, v, 5) // entries 1 (vault.init) to 6
			if n, err := v.VerifyAudit(context.Background()); err != nil || n != 6 {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			tc.tamper(t, v)
			_, err := v.VerifyAudit(context.Background())
			audBreak(t, err, tc.seq, tc.reason)
		})
	}
}

// A key holder who rewrites, re-links and re-signs everything after an
// entry (and the head) is not caught by the chain alone: that is what
// witnesses are for (see witness_test.go).
func TestAuditKeyHolderRewritePassesChain(t *testing.T) {
	_, v := audVault(t, "Test Defence Group")
	audAdd(t, v, 4)
	auditHookRewrite(t, v, 3, func(e *AuditEntry) { e.Actor = "someone else" })
	if n, err := v.VerifyAudit(context.Background()); err != nil || n != 5 {
		t.Fatalf("VerifyAudit after a full rewrite = %d, %v; the chain alone cannot see it", n, err)
	}
	if audEntry(t, v, 3).Actor != "someone else" {
		t.Fatal("rewrite hook did not change the entry")
	}
}

func TestAuditFilter(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir() + "/vault"
	v, err := Init(dir, InitOptions{Org: "Test", Classic: true, Passphrase: []byte(audPass),
		Options: Options{Author: "tester", Now: func() time.Time { return now }}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	a, err := v.AddCase(audCase(t, "Alpha"))
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	b, err := v.AddCase(audCase(t, "Beta"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(a, audCase(t, "Alpha Two")); err != nil {
		t.Fatal(err)
	}
	collect := func(f AuditFilter) string {
		var out []string
		if err := v.AuditLog(f, func(e AuditEntry) error { out = append(out, string(e.Op)); return nil }); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, " ")
	}
	targets, err := v.CaseAuditTargets(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(AuditFilter{Targets: targets}); got != "case.add case.update" {
		t.Errorf("case filter: %q", got)
	}
	if got := collect(AuditFilter{Targets: []string{b.String()}}); got != "case.add" {
		t.Errorf("case filter b: %q", got)
	}
	if got := collect(AuditFilter{Since: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}); got != "case.add case.update" {
		t.Errorf("since filter: %q", got)
	}
	if got := collect(AuditFilter{}); got != "vault.init case.add case.add case.update" {
		t.Errorf("no filter: %q", got)
	}
}
