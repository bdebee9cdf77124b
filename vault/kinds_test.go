package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// TestKindsComplete builds two vaults that exercise every command that
// writes records (organisations both ways, cases, evidence, shares, a
// bundle exchange with its witness and origin records, publication,
// quarantine, evidence and case removal, passphrase change, rekey), walks
// every key in both Badger stores and fails on a key whose prefix has no
// row in store.Kinds or whose length differs from the row's, and on a row
// whose kind none of this wrote (the test must then learn to write it).
func TestKindsComplete(t *testing.T) {
	_, a := audVault(t, "Alpha Defence")
	_, b := audVault(t, "Beta Rights")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	for _, p := range [][2]*Vault{{a, b}, {b, a}} {
		data, err := p[1].Card()
		must("card", err)
		card, err := ParseCard(data)
		must("parse card", err)
		_, err = p[0].AddOrg(card)
		must("org add", err)
	}
	_, staffCard := staffIdentity(t, "Anna", true)
	_, err := a.AddStaff(staffCard, false)
	must("staff add", err)
	c, err := a.AddCase(audCase(t, "Ivan Petrov"))
	must("case add", err)
	_, err = a.UpdateCase(c, audCase(t, "Ivan Petrovich"))
	must("case update", err)
	gone, err := a.AddCase(audCase(t, "Oleg Sidorov"))
	must("case add", err)
	m, err := a.AddEvidence(context.Background(), c, strings.NewReader("scan"), EvidenceInput{Name: "scan.png"})
	must("evidence add", err)
	e, err := ParseEvidenceID(m.ID)
	must("evidence id", err)
	m2, err := a.AddEvidence(context.Background(), c, strings.NewReader("second scan"), EvidenceInput{Name: "scan2.png"})
	must("evidence add", err)
	_, err = a.ShareCase(c, "Beta Rights", nil)
	must("share", err)
	bundle := filepath.Join(t.TempDir(), "bundle.age")
	_, err = a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: bundle})
	must("bundle export", err)
	_, err = b.ImportBundle(context.Background(), bundle)
	must("bundle import", err)
	// A bundle in parts, of which b has only the first: kept (P).
	bigEv, err := a.AddEvidence(context.Background(), c, strings.NewReader(strings.Repeat("large scan ", 3000)), EvidenceInput{Name: "big.png"})
	must("evidence add", err)
	bigID, err := ParseEvidenceID(bigEv.ID)
	must("evidence id", err)
	parted := filepath.Join(t.TempDir(), "parted.age")
	pres, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: parted, MaxSize: MinBundlePartSize, Evidence: []EvidenceID{bigID}})
	must("bundle export in parts", err)
	if len(pres.Parts) < 2 {
		t.Fatalf("bundle in %d parts, want several", len(pres.Parts))
	}
	_, pend, err := b.ImportBundleFiles(context.Background(), pres.Parts[:1])
	must("bundle part import", err)
	if pend == nil || len(pend.Kept) != 1 {
		t.Fatalf("part not kept: %+v", pend)
	}
	_, err = a.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "site"), Format: "json"})
	must("publish", err)
	from, err := b.CasesFrom("Alpha Defence")
	must("cases from", err)
	if len(from) > 0 {
		// A conflict revision on the case that is purged below, and one
		// on a case that rekey carries over.
		_, err = b.RecordConflict(from[0], ConflictInput{Source: "staff laptop 2", Doc: audCase(t, "Ivan P.")})
		must("record conflict", err)
	}
	_, err = a.RecordConflict(c, ConflictInput{Source: "staff laptop 2", Doc: audCase(t, "Ivan Petrovich Jr")})
	must("record conflict", err)
	must("quarantine", b.Quarantine(from, "Alpha Defence"))
	_, err = b.ExportWitness("Alpha Defence")
	must("witness", err)
	e2, err := ParseEvidenceID(m2.ID)
	must("evidence id", err)
	must("evidence rm", a.RemoveEvidence(e2))
	must("case rm", a.RemoveCase(gone))
	imp := filepath.Join(t.TempDir(), "import.csv")
	must("write import", os.WriteFile(imp, []byte("name,external_id\nImported Person,row-1\n"), 0o600))
	_, err = a.Import(context.Background(), imp, ImportOptions{Format: FormatCSV})
	must("import", err)
	exerciseSyncKinds(t, a)
	must("passwd", a.ChangePassphrase([]byte("another passphrase")))
	_, err = a.Rekey(context.Background())
	must("rekey", err)
	_ = e

	seen := map[byte]int{}
	for _, v := range []*Vault{a, b} {
		err := v.db.View(func(txn *store.Txn) error {
			it := txn.NewIterator(store.IteratorOptions{})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				k := it.Item().Key()
				kind := store.KindOf(k)
				if kind == nil {
					t.Errorf("%s: store key %x has prefix %q, which has no row in store.Kinds", v.Meta().Org, k, k[:1])
					continue
				}
				if kind.KeyLen != 0 && len(k) != kind.KeyLen {
					t.Errorf("%s: %s key %x is %d bytes, the table says %d (%s)", v.Meta().Org, kind.Name, k, len(k), kind.KeyLen, kind.KeyedBy)
				}
				seen[k[0]]++
			}
			return nil
		})
		must("walk", err)
		rep, err := v.Check(context.Background(), CheckOptions{})
		must("check", err)
		if len(rep.Problems) != 0 {
			t.Errorf("%s: check after every command: %+v", v.Meta().Org, rep.Problems)
		}
	}
	for _, k := range store.Kinds {
		if seen[k.Prefix] == 0 {
			t.Errorf("no %s record (%q) was written: TestKindsComplete must exercise the command that writes it", k.Name, k.Prefix)
		}
	}
	t.Log(fmt.Sprint("records by prefix: ", seen))

	// Purge, driven by the table's purge modes: no record of the purged
	// case may stay, whichever way its kind names the case.
	if len(from) == 0 {
		t.Fatal("the bundle gave Beta Rights no case")
	}
	purged := from[0]
	_, err = b.Purge(context.Background(), purged)
	must("purge", err)
	err = b.db.View(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(from) == 1 && k[0] == store.POrigin {
				t.Errorf("after purge: the origin mapping %x of the only received case is still stored", k)
			}
			if kind := store.KindOf(k); kind != nil && kind.PerCase && string(k[1:1+idLen]) == string(purged[:]) {
				t.Errorf("after purge: %s %x of the purged case is still stored", kind.Name, k)
			}
		}
		return nil
	})
	must("walk", err)
	if left, err := b.CasesFrom("Alpha Defence"); err != nil || len(left) != 0 {
		t.Errorf("after purge: origin records still name %v (%v)", left, err)
	}
	rep, err := b.Check(context.Background(), CheckOptions{})
	must("check", err)
	if len(rep.Problems) != 0 {
		t.Errorf("check after purge: %+v", rep.Problems)
	}
}
