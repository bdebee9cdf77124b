package vault

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// caseWithEvidence adds a case to v with files as evidence, the first
// `refs` of them referred to by the case document.
func caseWithEvidence(t *testing.T, v *Vault, name string, refs int, files ...[]byte) (CaseID, []EvidenceID) {
	t.Helper()
	id := addCaseText(t, v, "person: {name: "+name+"}\nstatus: pretrial\n")
	var ids []EvidenceID
	var refIDs []string
	for i, f := range files {
		m, err := v.AddEvidence(context.Background(), id, bytes.NewReader(f), EvidenceInput{Name: fmt.Sprintf("photo-%d.jpg", i), Note: "secret custody note"})
		if err != nil {
			t.Fatal(err)
		}
		eid, _ := ParseEvidenceID(m.ID)
		ids = append(ids, eid)
		if i < refs {
			refIDs = append(refIDs, m.ID)
		}
	}
	setEvidenceRefs(t, v, id, name, refIDs)
	return id, ids
}

func setEvidenceRefs(t *testing.T, v *Vault, id CaseID, name string, refs []string) {
	t.Helper()
	text := "person: {name: " + name + "}\nstatus: pretrial\n"
	if len(refs) > 0 {
		text += "mistreatment:\n  - date: 2024-02-01\n    kind: [beating]\n    description: described\n    evidence: [" + strings.Join(refs, ", ") + "]\n"
	}
	doc, err := schema.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(id, doc); err != nil {
		t.Fatal(err)
	}
}

func readEvidence(t *testing.T, v *Vault, e EvidenceID) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := v.ReadEvidence(context.Background(), e, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBundleEvidence(t *testing.T) {
	a, b := partners(t)
	f1, f2, f3 := randomData(70_000), randomData(100), randomData(5000)
	id, ev := caseWithEvidence(t, a, "Evidence Person", 2, f1, f2, f3)
	if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	file := exportTo(t, a, "Beta Rights")
	res, err := b.ImportBundle(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Evidence) != 2 {
		t.Fatalf("imported evidence %v, want the 2 referred to", res.Evidence)
	}
	local, _ := ParseCaseID(res.Cases[0].Case)
	list, err := b.EvidenceList(local)
	if err != nil || len(list) != 2 {
		t.Fatalf("evidence of the imported case: %+v %v", list, err)
	}
	for i, want := range [][]byte{f1, f2} {
		if got := readEvidence(t, b, ev[i]); !bytes.Equal(got, want) {
			t.Errorf("evidence %d differs after the exchange", i)
		}
	}
	for _, m := range list {
		if m.Note != "" || !strings.Contains(m.Source, res.BundleID) || !strings.HasPrefix(m.Name, "photo-") {
			t.Errorf("imported evidence metadata %+v", m)
		}
	}
	if _, err := b.Evidence(ev[2]); !IsNotFound(err) {
		t.Errorf("evidence not referred to by the case travelled: %v", err)
	}
	if got := len(blobFiles(t, b)); got != 2 {
		t.Errorf("b has %d blob files, want 2", got)
	}

	// A newer bundle refers to one more file: the two known ones are not
	// stored again, the new one is added to the same case.
	setEvidenceRefs(t, a, id, "Evidence Person", []string{ev[0].String(), ev[1].String(), ev[2].String()})
	res2, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights"))
	if err != nil {
		t.Fatal(err)
	}
	if res2.Cases[0].Case != local.String() || res2.Cases[0].Result != "updated" || len(res2.Evidence) != 1 || res2.Evidence[0] != ev[2].String() {
		t.Fatalf("newer bundle: %+v", res2)
	}
	if got := len(blobFiles(t, b)); got != 3 {
		t.Errorf("b has %d blob files, want 3", got)
	}
	if !bytes.Equal(readEvidence(t, b, ev[2]), f3) {
		t.Error("third evidence file differs")
	}

	// A share without mistreatment.evidence sends no files and no references.
	c := newOrgVault(t, "Gamma Watch", nil)
	introduce(t, a, c)
	introduce(t, c, a)
	if _, err := a.ShareCase(id, "Gamma Watch", []string{"person", "status"}); err != nil {
		t.Fatal(err)
	}
	res3, err := c.ImportBundle(context.Background(), exportTo(t, a, "Gamma Watch"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res3.Evidence) != 0 || len(blobFiles(t, c)) != 0 {
		t.Errorf("evidence went with a share that does not carry it: %+v", res3)
	}
}

// TestBundleEvidenceTampered changes evidence bytes, the evidence list and
// the archive of a bundle with evidence, re-encrypted to the real
// recipient: each is refused, and no blob file is left behind.
func TestBundleEvidenceTampered(t *testing.T) {
	a, b := partners(t)
	id, _ := caseWithEvidence(t, a, "Evidence Person", 2, randomData(20_000), randomData(3000))
	a.ShareCase(id, "Beta Rights", nil)
	file := exportTo(t, a, "Beta Rights")
	pt := plainBundle(t, b, file)
	padding := tarPadding(t, pt)
	step := max(1, len(pt)/200)
	for pos := 0; pos < len(pt); pos += step {
		if padding[pos] {
			continue
		}
		bad := bytes.Clone(pt)
		// (Not 0x10: it turns a '0' of a header checksum into a space,
		// which tar reads as the same number.)
		bad[pos] ^= 0x01
		mustRefuse(t, b, sealFor(t, b, bad), "")
		if n := len(blobFiles(t, b)); n != 0 {
			t.Fatalf("flip at %d left %d blob files", pos, n)
		}
	}
	// Ciphertext flips, too.
	ct, _ := os.ReadFile(file)
	for pos := 0; pos < len(ct); pos += max(1, len(ct)/60) {
		bad := bytes.Clone(ct)
		bad[pos] ^= 0x01
		f := filepath.Join(t.TempDir(), "bad.age")
		os.WriteFile(f, bad, 0o600)
		mustRefuse(t, b, f, "")
	}
	if n := len(blobFiles(t, b)); n != 0 {
		t.Fatalf("refused bundles left %d blob files", n)
	}
	if _, err := b.ImportBundle(context.Background(), file); err != nil {
		t.Fatal(err)
	}
}

// TestBundleEvidenceCrafted sends signed bundles whose evidence does not
// fit: unlisted, listed by no case, or with an ID this vault already uses
// for another case.
func TestBundleEvidenceCrafted(t *testing.T) {
	a, b := partners(t)
	origin := NewCaseID()
	data := randomData(1000)
	eid := NewEvidenceID()
	sum := sha256Hex(data)
	caseWith := func(evs []EvidenceEntry, refs ...string) []byte {
		text := "person: {name: Crafted}\n"
		if len(refs) > 0 {
			text += "mistreatment:\n  - date: 2024-01-01\n    evidence: [" + strings.Join(refs, ",") + "]\n"
		}
		c, err := schema.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return mustJSON(t, CaseEntry{OriginCaseID: origin.String(), OriginRev: 1, Doc: c.Canonical(), Evidence: evs})
	}
	evEntry := tarEntry{name: "evidence/" + eid.String() + ".bin", data: data}
	listed := []EvidenceEntry{{ID: eid.String(), Size: int64(len(data)), SHA256: sum}}
	caseName := "cases/" + origin.String() + ".json"
	good := tarEntry{name: caseName, data: caseWith(listed, eid.String())}
	for name, tc := range map[string]struct {
		entries []tarEntry
		want    string
	}{
		"evidence of no case":       {[]tarEntry{{name: caseName, data: caseWith(nil)}, evEntry}, "listed by no case"},
		"evidence before its case":  {[]tarEntry{evEntry, good}, "listed by no case"},
		"reference not carried":     {[]tarEntry{{name: caseName, data: caseWith(nil, eid.String())}}, "does not carry"},
		"listed with another hash":  {[]tarEntry{{name: caseName, data: caseWith([]EvidenceEntry{{ID: eid.String(), Size: int64(len(data)), SHA256: strings.Repeat("0", 64)}}, eid.String())}, evEntry}, "same size and SHA-256"},
		"listed but not in archive": {[]tarEntry{good}, "same size and SHA-256"},
	} {
		t.Run(name, func(t *testing.T) {
			mustRefuse(t, b, sealFor(t, b, craft(t, a, b, tc.entries, tc.entries, nil)), tc.want)
			if n := len(blobFiles(t, b)); n != 0 {
				t.Fatalf("%d blob files left", n)
			}
		})
	}
	// An evidence ID b already uses for one of its own cases.
	own, ownEv := caseWithEvidence(t, b, "Own Case", 1, randomData(10))
	_ = own
	clash := []EvidenceEntry{{ID: ownEv[0].String(), Size: int64(len(data)), SHA256: sum}}
	entries := []tarEntry{{name: caseName, data: caseWith(clash, ownEv[0].String())}, {name: "evidence/" + ownEv[0].String() + ".bin", data: data}}
	mustRefuse(t, b, sealFor(t, b, craft(t, a, b, entries, entries, nil)), "already used by another case")
	if n := len(blobFiles(t, b)); n != 1 {
		t.Fatalf("%d blob files, want b's own 1", n)
	}
	// The good one is accepted.
	if _, err := b.ImportBundle(context.Background(), sealFor(t, b, craft(t, a, b, []tarEntry{good, evEntry}, []tarEntry{good, evEntry}, nil))); err != nil {
		t.Fatal(err)
	}
}

// TestBundleBackupRestore backs up a vault that imported a bundle and
// checks that the restored vault still knows the partner and the origin of
// the imported case.
func TestBundleBackupRestore(t *testing.T) {
	a, b := partners(t)
	id, _ := caseWithEvidence(t, a, "Backup Person", 1, randomData(2000))
	a.ShareCase(id, "Beta Rights", nil)
	res, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := b.Backup(context.Background(), &buf, nil); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(context.Background(), bytes.NewReader(buf.Bytes()), dir, Unlock{Identity: b.Identity()}, Options{Author: "tester"}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	r, err := Open(dir, Unlock{Identity: b.Identity()}, Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	setEvidenceRefs(t, a, id, "Backup Person Renamed", nil)
	res2, err := r.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights"))
	if err != nil {
		t.Fatal(err)
	}
	if res2.Cases[0].Case != res.Cases[0].Case || res2.Cases[0].Result != "updated" {
		t.Errorf("restored vault: %+v, first import %+v", res2.Cases, res.Cases)
	}
}
