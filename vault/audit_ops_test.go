package vault

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditEveryOperation runs every operation the audit log must record
// (those that change the vault or let data out) and requires each to
// append its entry, naming its targets, with the chain intact at the end on
// both sides of a bundle exchange.
func TestAuditEveryOperation(t *testing.T) {
	_, a := audVault(t, "Alpha Defence")
	_, b := audVault(t, "Beta Rights")
	step := func(v *Vault, op string, target string, do func() error) {
		t.Helper()
		before, err := v.AuditHead()
		if err != nil {
			t.Fatal(err)
		}
		if err := do(); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		found := false
		err = v.AuditEntries(func(e AuditEntry) error {
			if e.Seq > before.Seq && e.Op == Op(op) && (target == "" || e.HasTarget(target)) {
				found = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Errorf("%s did not append a %s entry naming %q", v.Meta().Org, op, target)
		}
	}
	introduceTo := func(to, from *Vault) func() error {
		return func() error {
			data, err := from.Card()
			if err != nil {
				return err
			}
			card, err := ParseCard(data)
			if err != nil {
				return err
			}
			_, err = to.AddOrg(card)
			return err
		}
	}
	step(a, "org.add", "Beta Rights", introduceTo(a, b))
	step(b, "org.add", "Alpha Defence", introduceTo(b, a))

	var c CaseID
	step(a, "case.add", "", func() (err error) { c, err = a.AddCase(audCase(t, "Ivan Petrov")); return err })
	step(a, "case.update", c.String(), func() error { _, err := a.UpdateCase(c, audCase(t, "Ivan Petrovich")); return err })
	var e EvidenceID
	step(a, "evidence.add", "", func() error {
		m, err := a.AddEvidence(context.Background(), c, strings.NewReader("scan"), EvidenceInput{Name: "scan.png"})
		if err == nil {
			e, err = ParseEvidenceID(m.ID)
		}
		return err
	})
	step(a, "evidence.get", e.String(), func() error { _, err := a.ReadEvidence(context.Background(), e, io.Discard); return err })
	step(a, "evidence.verify", e.String(), func() error { return a.VerifyEvidence(context.Background(), e) })
	step(a, "share", c.String(), func() error { _, err := a.ShareCase(c, "Beta Rights", nil); return err })
	bundle := filepath.Join(t.TempDir(), "bundle.age")
	var bid string
	step(a, "bundle.export", c.String(), func() error {
		r, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: bundle})
		if err == nil {
			bid = r.BundleID
		}
		return err
	})
	step(b, "bundle.import", bid, func() error { _, err := b.ImportBundle(context.Background(), bundle); return err })
	step(a, "unshare", c.String(), func() error { return a.Unshare(c, "Beta Rights") })
	step(a, "publish", "", func() error {
		_, err := a.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "site"), Format: "json"})
		return err
	})
	var exported bytes.Buffer
	step(a, "export", c.String(), func() error { _, err := a.Export(context.Background(), &exported); return err })
	if e := lastEntry(t, a); e.ContentSHA256 != hashHex(exported.Bytes()) || exported.Len() == 0 {
		t.Errorf("export entry %+v does not hash the %d bytes written", e, exported.Len())
	}
	step(a, "passwd", "", func() error { return a.ChangePassphrase([]byte("another passphrase")) })
	step(a, "evidence.rm", e.String(), func() error { return a.RemoveEvidence(e) })
	step(a, "case.rm", c.String(), func() error { return a.RemoveCase(c) })
	step(a, "org.rm", "Beta Rights", func() error { return a.RemoveOrg("Beta Rights") })
	step(b, "audit.witness", "", func() error { _, err := b.ExportWitness("Alpha Defence"); return err })
	for _, v := range []*Vault{a, b} {
		if _, err := v.VerifyAudit(context.Background()); err != nil {
			t.Fatalf("%s: %v", v.Meta().Org, err)
		}
		// Every operation written is in the table of operations.
		v.AuditEntries(func(e AuditEntry) error {
			if _, ok := Ops[e.Op]; !ok {
				t.Errorf("%s: entry %d: op %q is not in Ops", v.Meta().Org, e.Seq, e.Op)
			}
			return nil
		})
	}
}

func lastEntry(t *testing.T, v *Vault) AuditEntry {
	t.Helper()
	var last AuditEntry
	if err := v.AuditEntries(func(e AuditEntry) error { last = e; return nil }); err != nil {
		t.Fatal(err)
	}
	return last
}
