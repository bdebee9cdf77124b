package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// previousFixture is a vault written by casevault at commit 7772002 (the
// main branch before issue 12's restructuring), with a backup of it, the
// card of its partner "Beta Rights" and the partner's witness file of its
// audit head; mkfixture.go.txt is the program that made it. It holds every
// kind of record the store knows (TestPreviousVaultHasEveryKind).
const previousFixture = "testdata/vault-7772002"

// IDs the fixture's program printed.
const (
	prevCase1       = "cmmv7ne36yvmb6546" // four revisions, evidence, shared
	prevCase2       = "cn5wptceuwyfa4r6j" // shared (some fields), evidence
	prevPurged      = "ckuzuui2bgs36qk2b"
	prevRemoved     = "cedeuuvxnckc6c3xa"
	prevQuarantined = "c77fmfqegyflxo5wr" // imported from Beta Rights
	prevEvidence1   = "ehrhngm4r7fjadvyc"
	prevPurgedEvid  = "empgopnfoe3jzzaqo"
	prevRemovedEvid = "eyizp4f6ftkybymrl"
)

// previousVault returns a writable copy of the fixture (the vault
// directory and the fixture's root) and the unlock of its identity.
func previousVault(t *testing.T) (string, string, Unlock) {
	t.Helper()
	root := t.TempDir()
	// git keeps no modes: everything the vault wrote was private.
	err := filepath.WalkDir(previousFixture, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(previousFixture, p)
		target := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "vault"), root, Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
}

func TestOpenPreviousVault(t *testing.T) {
	dir, root, u := previousVault(t)
	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open of the previous vault: %v", err)
	}
	defer func() { v.Close() }()
	checkPreviousVault(t, v)

	// The partner's witness file of our head verifies against our log.
	wf, err := os.ReadFile(filepath.Join(root, "witness-from-beta.json"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := ParseWitnessFile(wf)
	if err != nil {
		t.Fatalf("ParseWitnessFile: %v", err)
	}
	wc, err := v.VerifyWitness(w)
	if err != nil || wc.HolderOrg != "Beta Rights" || !wc.SubjectKeyChecked {
		t.Fatalf("VerifyWitness = %+v, %v", wc, err)
	}
	rep, err := os.ReadFile(filepath.Join(root, "custody-report.md"))
	if err != nil || !bytes.Contains(rep, []byte(prevEvidence1)) {
		t.Errorf("custody report of the fixture does not name %s: %v", prevEvidence1, err)
	}

	// The backup restores into a new directory, which opens and checks.
	f, err := os.Open(filepath.Join(root, "vault.cvbackup"))
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	_, err = Restore(context.Background(), f, restored, u, Options{})
	f.Close()
	if err != nil {
		t.Fatalf("Restore of the previous backup: %v", err)
	}
	rv, err := Open(restored, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open of the restored vault: %v", err)
	}
	checkPreviousVault(t, rv)
	if err := rv.Close(); err != nil {
		t.Fatal(err)
	}

	// One write after all that: a new revision of the first case.
	id, _ := ParseCaseID(prevCase1)
	cur, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cur.Case()
	if err != nil {
		t.Fatal(err)
	}
	c.Doc["notes"] = "после & <перехода>"
	r, err := v.UpdateCase(id, c)
	if err != nil || r.Rev != cur.Rev+1 {
		t.Fatalf("UpdateCase = %+v, %v", r, err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	v, err = Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Case(id)
	if err != nil || !bytes.Contains(got.Doc, []byte(`"после & <перехода>"`)) {
		t.Fatalf("case after the update = %s, %v", got.Doc, err)
	}
	if _, err := v.VerifyAudit(context.Background()); err != nil {
		t.Fatalf("VerifyAudit after the update: %v", err)
	}
}

// checkPreviousVault reads everything the fixture holds through the API.
func checkPreviousVault(t *testing.T, v *Vault) {
	t.Helper()
	if n, err := v.VerifyAudit(context.Background()); err != nil || n < 30 {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
	rep, err := v.Check(context.Background(), CheckOptions{ReadData: true})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("check reports problems: %+v", rep.Problems)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, id := range ids {
		have = append(have, id.String())
	}
	for _, want := range []string{prevCase1, prevCase2, prevQuarantined} {
		if !slices.Contains(have, want) {
			t.Errorf("case %s missing from %v", want, have)
		}
	}
	for _, gone := range []string{prevPurged, prevRemoved} {
		if slices.Contains(have, gone) {
			t.Errorf("case %s was removed but is listed", gone)
		}
	}
	if len(ids) != 5 {
		t.Errorf("%d cases, want 5 (two of ours, one imported from a file, two from Beta Rights): %v", len(ids), have)
	}
	sums, err := v.ListCases(Filter{})
	if err != nil || len(sums) != len(ids) {
		t.Fatalf("ListCases = %d, %v", len(sums), err)
	}
	if hits, err := v.Search("Петров"); err != nil || len(hits) != 1 || hits[0].ID != prevCase1 {
		t.Errorf("Search(Петров) = %+v, %v", hits, err)
	}

	var all bytes.Buffer
	revs, evid := 0, 0
	for _, id := range ids {
		cur, err := v.Case(id)
		if err != nil {
			t.Fatalf("Case(%s): %v", id, err)
		}
		if _, err := v.CaseMeta(id); err != nil {
			t.Fatalf("CaseMeta(%s): %v", id, err)
		}
		hist, err := v.History(id)
		if err != nil || len(hist) == 0 || hist[len(hist)-1].Rev != cur.Rev {
			t.Fatalf("History(%s) = %d revisions, %v", id, len(hist), err)
		}
		for _, r := range hist {
			revs++
			byNum, err := v.CaseRevision(id, r.Rev)
			if err != nil || !bytes.Equal(byNum.Doc, r.Doc) {
				t.Fatalf("CaseRevision(%s, %d): %v", id, r.Rev, err)
			}
			c, err := r.Case()
			if err != nil {
				t.Fatalf("case %s rev %d: %v", id, r.Rev, err)
			}
			if !bytes.Equal(c.Canonical(), r.Doc) {
				t.Errorf("case %s rev %d is not canonical", id, r.Rev)
			}
			all.Write(r.Doc)
		}
		items, err := v.EvidenceList(id)
		if err != nil {
			t.Fatalf("EvidenceList(%s): %v", id, err)
		}
		for _, m := range items {
			evid++
			eid, err := ParseEvidenceID(m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if _, err := v.ReadEvidence(context.Background(), eid, &b); err != nil {
				t.Fatalf("ReadEvidence(%s): %v", m.ID, err)
			}
			if h := sha256.Sum256(b.Bytes()); hex.EncodeToString(h[:]) != m.SHA256 || int64(b.Len()) != m.Size {
				t.Errorf("evidence %s reads %d bytes that do not hash to its record", m.ID, b.Len())
			}
			if err := v.VerifyEvidence(context.Background(), eid); err != nil {
				t.Errorf("VerifyEvidence(%s): %v", m.ID, err)
			}
		}
	}
	if revs != 8 || evid != 3 {
		t.Errorf("read %d revisions and %d evidence items, want 8 and 3 (four of the first case, one each of four others)", revs, evid)
	}
	for _, want := range []string{"Иван Петров & <Ко>", "Осуждён: R&D <script>alert(1)</script>", "третья редакция & <ещё>", "Бета & <Клиент>", "Пётр Imported & <Co>"} {
		enc, _ := marshalJSON(want)
		if !bytes.Contains(all.Bytes(), enc) {
			t.Errorf("text %q not found in the revisions read", want)
		}
	}
	for _, gone := range []string{prevPurgedEvid, prevRemovedEvid} {
		eid, _ := ParseEvidenceID(gone)
		if _, err := v.Evidence(eid); !IsNotFound(err) {
			t.Errorf("Evidence(%s) of a removed item = %v, want not found", gone, err)
		}
	}
	pid, _ := ParseCaseID(prevPurged)
	if _, err := v.Case(pid); !IsNotFound(err) {
		t.Errorf("Case of the purged case = %v, want not found", err)
	}

	q, _ := ParseCaseID(prevQuarantined)
	if yes, org, err := v.IsQuarantined(q); err != nil || !yes || org != "Beta Rights" {
		t.Errorf("IsQuarantined = %v, %q, %v", yes, org, err)
	}
	from, err := v.CasesFrom("Beta Rights")
	if err != nil || len(from) != 2 {
		t.Errorf("CasesFrom(Beta Rights) = %v, %v", from, err)
	}
	orgs, err := v.Orgs(true)
	if err != nil || len(orgs) != 1 || orgs[0].Name != "Beta Rights" {
		t.Errorf("Orgs = %+v, %v", orgs, err)
	}
	shares, err := v.Shares(nil, "")
	if err != nil || len(shares) != 2 {
		t.Errorf("Shares = %+v, %v", shares, err)
	}
	for _, s := range shares {
		if s.Case == prevCase2 && strings.Join(s.Fields, ",") != "person,status" {
			t.Errorf("share of %s names fields %v", s.Case, s.Fields)
		}
	}
	ws, err := v.Witnesses("Beta Rights")
	if err != nil || len(ws) != 1 {
		t.Errorf("Witnesses(Beta Rights) = %+v, %v", ws, err)
	}
	ops := map[string]bool{}
	if err := v.AuditEntries(func(e AuditEntry) error { ops[string(e.Op)] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"vault.init", "org.add", "case.add", "case.update", "case.import", "evidence.add",
		"evidence.get", "evidence.verify", "evidence.rm", "share", "bundle.export", "bundle.import",
		"evidence.import", "case.quarantine", "publish", "custody.report", "export", "case.rm", "case.purge"} {
		if !ops[op] {
			t.Errorf("the fixture's audit log has no %s entry", op)
		}
	}
}

// TestPreviousVaultHasEveryKind makes sure the fixture exercises every
// record kind of layout.go, so that TestOpenPreviousVault reads them all.
func TestPreviousVaultHasEveryKind(t *testing.T) {
	dir, _, u := previousVault(t)
	v, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	seen := map[byte]int{}
	err = v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			seen[it.Item().Key()[0]]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []byte{pMeta, pAuditHead, pAudit, pCaseKey, pRevision, pEvidence, pEvidIndex, pSummary,
		pPosting, pOrg, pShare, pBundle, pWitness, pOrigin, pCaseMeta} {
		if seen[p] == 0 {
			t.Errorf("the fixture holds no record of kind %q", p)
		}
		delete(seen, p)
	}
	if len(seen) != 0 {
		t.Errorf("the fixture holds records of kinds this test does not know: %v", seen)
	}
}

// A read-write open migrates a format-1 vault and then names format 2 in
// its format file, so that the casevault that wrote format 1 refuses it
// (it refuses any version above its own) instead of reading the new
// search index as damaged; a read-only open changes nothing.
func TestPreviousVaultFormatUpgraded(t *testing.T) {
	dir, _, u := previousVault(t)
	formatOf := func() formatMarker {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, formatFile))
		if err != nil {
			t.Fatal(err)
		}
		var m formatMarker
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := formatOf(); m.Version != 1 {
		t.Fatalf("fixture format %d, want 1", m.Version)
	}
	v, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	if m := formatOf(); m.Version != 1 {
		t.Fatalf("a read-only open changed the format to %d", m.Version)
	}
	v, err = Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	if m := formatOf(); m.Version != FormatVersion || m.Format != "casevault-vault" {
		t.Fatalf("after a read-write open the format file says %+v, want version %d", m, FormatVersion)
	}
	if fi, err := os.Stat(filepath.Join(dir, formatFile)); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Fatalf("format file mode %v, %v", fi.Mode(), err)
	}
	if err := CheckFormat(dir); err != nil {
		t.Fatal(err)
	}
}
