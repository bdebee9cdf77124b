package vault

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
	"github.com/casevault/casevault/vault/internal/store"
)

const fullCase = `schema: case.v1
person:
  name: Ivan Petrov
  name_native: Иван Петров
  aliases: [Vanya]
  birth_date: 1980-05-01
  region: Omsk
  contacts:
    - role: lawyer
      name: Secret Lawyer
      phone: "+7 900 000 00 00"
charges:
  - code: RU-CC
    article: "207.3(2)"
detention:
  - kind: pretrial
    facility: SIZO-1 Omsk
    from: 2024-01-10
    notes: cell 12, restricted note
mistreatment:
  - date: 2024-02-01
    kind: [beating]
    description: beaten in the corridor
    perpetrators: [Guard Sidorov]
    witnesses: [Cellmate Kuznetsov]
sources: ["https://example.org/source"]
notes: lawyer's private working notes
status: pretrial
`

// partners makes two vaults that know each other's cards.
func partners(t *testing.T) (a, b *Vault) {
	t.Helper()
	a = newOrgVault(t, "Alpha Defence", nil)
	b = newOrgVault(t, "Beta Rights", nil)
	introduce(t, a, b)
	introduce(t, b, a)
	return a, b
}

// introduce makes to know from's card.
func introduce(t *testing.T, to, from *Vault) {
	t.Helper()
	data, err := from.Card()
	if err != nil {
		t.Fatal(err)
	}
	card, err := ParseCard(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := to.AddOrg(card); err != nil {
		t.Fatal(err)
	}
}

func addCaseText(t testing.TB, v *Vault, text string) CaseID {
	t.Helper()
	doc, err := schema.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	id, err := v.AddCase(doc)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func exportTo(t *testing.T, v *Vault, org string, cases ...CaseID) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bundle.age")
	if _, err := v.ExportBundle(context.Background(), ExportBundleOptions{To: org, Cases: cases, Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

// storeDump is every raw key and value of the store and the names of the
// files in the vault directory: any change at all shows in it.
func storeDump(t *testing.T, v *Vault) string {
	t.Helper()
	var b strings.Builder
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			val, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%x=%x\n", it.Item().Key(), val)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(filepath.Join(v.Dir(), "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			fmt.Fprintln(&b, "file", p)
		}
		return nil
	})
	return b.String()
}

func TestBundleExchange(t *testing.T) {
	a, b := partners(t)
	aCase := addCaseText(t, a, fullCase)
	if _, err := a.ShareCase(aCase, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	file := exportTo(t, a, "Beta Rights")

	res, err := b.ImportBundle(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadyImported || res.Org != "Alpha Defence" || len(res.Cases) != 1 || res.Cases[0].Result != "added" || res.Cases[0].Origin != aCase.String() {
		t.Fatalf("import result %+v", res)
	}
	local, _ := ParseCaseID(res.Cases[0].Case)
	rev, err := b.Case(local)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Provenance == nil || rev.Provenance.Org != "Alpha Defence" || rev.Provenance.OriginCaseID != aCase.String() || rev.Provenance.BundleID != res.BundleID {
		t.Errorf("provenance %+v", rev.Provenance)
	}
	doc := string(rev.Doc)
	for _, secret := range []string{"Secret Lawyer", "1980-05-01", "Guard Sidorov", "Cellmate", "private working notes"} {
		if strings.Contains(doc, secret) {
			t.Errorf("confidential %q reached the partner: %s", secret, doc)
		}
	}
	for _, want := range []string{"Ivan Petrov", "Vanya", "207.3(2)", "restricted note", "beaten in the corridor", "example.org"} {
		if !strings.Contains(doc, want) {
			t.Errorf("shared copy lacks %q: %s", want, doc)
		}
	}
	if s, _ := b.Search("петров"); len(s) != 1 {
		t.Errorf("imported case not searchable: %+v", s)
	}

	// The same bundle again changes nothing and says so.
	before := storeDump(t, b)
	res2, err := b.ImportBundle(context.Background(), file)
	if err != nil || !res2.AlreadyImported {
		t.Fatalf("second import: %+v %v", res2, err)
	}
	if storeDump(t, b) != before {
		t.Error("second import changed the vault")
	}

	// A newer revision adds a revision to the same local case; an older
	// bundle that arrives later changes nothing in the case.
	older := exportTo(t, a, "Beta Rights", aCase)
	updated, _ := schema.Parse([]byte(strings.Replace(fullCase, "status: pretrial", "status: sentenced", 1)))
	if _, err := a.UpdateCase(aCase, updated); err != nil {
		t.Fatal(err)
	}
	newer := exportTo(t, a, "Beta Rights", aCase)
	res3, err := b.ImportBundle(context.Background(), newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(res3.Cases) != 1 || res3.Cases[0].Case != local.String() || res3.Cases[0].Result != "updated" {
		t.Fatalf("newer bundle: %+v", res3)
	}
	hist, _ := b.History(local)
	if len(hist) != 2 || !strings.Contains(string(hist[1].Doc), "sentenced") || hist[1].Provenance.BundleID != res3.BundleID {
		t.Fatalf("history after newer bundle: %d revisions", len(hist))
	}
	res4, err := b.ImportBundle(context.Background(), older)
	if err != nil {
		t.Fatal(err)
	}
	if res4.Cases[0].Result != "older" {
		t.Errorf("older bundle: %+v", res4)
	}
	if hist, _ := b.History(local); len(hist) != 2 {
		t.Errorf("older bundle added a revision")
	}
	if ids, _ := b.CaseIDs(); len(ids) != 1 {
		t.Errorf("b has %d cases", len(ids))
	}

	// And the other way: b shares its own case with a.
	bCase := addCaseText(t, b, "person: {name: Olga Smirnova, contacts: [{name: Hidden Relative}]}\nstatus: released\n")
	if _, err := b.ShareCase(bCase, "Alpha Defence", []string{"person.name", "status"}); err != nil {
		t.Fatal(err)
	}
	back, err := a.ImportBundle(context.Background(), exportTo(t, b, "Alpha Defence"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ParseCaseID(back.Cases[0].Case)
	r, _ := a.Case(got)
	if string(r.Doc) != `{"person":{"name":"Olga Smirnova"},"schema":"case.v1","status":"released"}` {
		t.Errorf("a received %s", r.Doc)
	}

	// Both audit logs verify and name the operations.
	for _, v := range []*Vault{a, b} {
		ops := strings.Join(auditOps(t, v), "\n")
		for _, op := range []string{"org.add", "share", "bundle.export", "bundle.import", "case.import"} {
			if !strings.Contains(ops, op+" ") {
				t.Errorf("%s: audit lacks %s:\n%s", v.Meta().Org, op, ops)
			}
		}
	}
	// b holds a's audit head as a witness.
	n := 0
	b.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: key(pWitness, b.orgMAC("Alpha Defence"))})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if n == 0 {
		t.Error("no witness of a's audit head in b")
	}
}

func TestShareFields(t *testing.T) {
	a, _ := partners(t)
	id := addCaseText(t, a, fullCase)
	rev, _ := a.Case(id)
	doc, _ := rev.Case()
	for _, tc := range []struct {
		fields   []string
		has, not []string
	}{
		{nil, []string{"Vanya", "restricted note"}, []string{"Secret Lawyer", "1980-05-01", "Guard Sidorov", "private working"}},
		{[]string{"person"}, []string{"Ivan Petrov", "Vanya"}, []string{"Secret Lawyer", "1980-05-01", "207.3", "restricted note"}},
		{[]string{"person.name", "person.contacts"}, []string{"Ivan Petrov", "Secret Lawyer", "+7 900"}, []string{"Vanya", "1980-05-01"}},
		{[]string{"person.name", "notes", "mistreatment.perpetrators"}, []string{"private working", "Guard Sidorov"}, []string{"Cellmate", "beaten"}},
		{[]string{"person.name", "mistreatment"}, []string{"beaten"}, []string{"Cellmate", "Guard"}},
	} {
		fields, err := CheckFields(tc.fields)
		if err != nil {
			t.Fatal(err)
		}
		got := string((&Share{Fields: fields}).Apply(doc).Canonical())
		for _, h := range tc.has {
			if !strings.Contains(got, h) {
				t.Errorf("fields %v: lacks %q: %s", tc.fields, h, got)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(got, n) {
				t.Errorf("fields %v: holds %q: %s", tc.fields, n, got)
			}
		}
	}
	// An override raises a field: the name stays home by default.
	over := addCaseText(t, a, "person: {name: Hidden Name, region: Omsk}\nsensitivity_overrides: {person.name: confidential}\n")
	if _, err := a.ShareCase(over, "Beta Rights", nil); err == nil || !strings.Contains(err.Error(), "person.name") {
		t.Errorf("share leaving out the required name: %v", err)
	}
	if _, err := a.ShareCase(over, "Beta Rights", []string{"person.name", "person.region"}); err != nil {
		t.Errorf("share naming the overridden name: %v", err)
	}
	var fe *FieldsError
	if _, err := a.ShareCase(id, "Beta Rights", []string{"person", "persn.name"}); !errors.As(err, &fe) || !strings.Contains(err.Error(), `"persn.name"`) {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := a.ShareCase(id, "Nobody", nil); !IsNotFound(err) {
		t.Errorf("share with unknown org: %v", err)
	}
	if err := a.Unshare(id, "Beta Rights"); !IsNotFound(err) {
		t.Errorf("unshare of a case not shared: %v", err)
	}
	if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.Shares(&id, ""); len(s) != 1 || s[0].Org != "Beta Rights" {
		t.Errorf("shares %+v", s)
	}
	if err := a.Unshare(id, "Beta Rights"); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.Shares(nil, "Beta Rights"); len(s) != 1 { // the override case stays
		t.Errorf("shares after unshare %+v", s)
	}
}

// plainBundle decrypts a bundle with v's identity.
func plainBundle(t *testing.T, v *Vault, file string) []byte {
	t.Helper()
	ct, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := crypto.DecryptWithIdentity(ct, v.Identity().AgeIdentity(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

// sealFor encrypts a tar stream to v's recipient and writes it to a file.
func sealFor(t *testing.T, v *Vault, pt []byte) string {
	t.Helper()
	ct, err := crypto.EncryptToRecipients(pt, v.Identity().Recipient())
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), fmt.Sprintf("b-%x.age", sha256.Sum256(pt)))
	if err := os.WriteFile(f, ct, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustRefuse(t *testing.T, v *Vault, file, want string) {
	t.Helper()
	before := storeDump(t, v)
	res, err := v.ImportBundle(context.Background(), file)
	if err == nil {
		t.Fatalf("bundle accepted (%+v), want refusal %q", res, want)
	}
	if want != "" && !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want %q", err, want)
	}
	if storeDump(t, v) != before {
		t.Fatalf("refused bundle changed the vault (%v)", err)
	}
}

func TestBundleTamperedCiphertext(t *testing.T) {
	a, b := partners(t)
	id := addCaseText(t, a, fullCase)
	a.ShareCase(id, "Beta Rights", nil)
	file := exportTo(t, a, "Beta Rights")
	ct, _ := os.ReadFile(file)
	step := max(1, len(ct)/150)
	for pos := 0; pos < len(ct); pos += step {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(ct)
			bad[pos] ^= bit
			f := filepath.Join(t.TempDir(), "bad.age")
			os.WriteFile(f, bad, 0o600)
			mustRefuse(t, b, f, "")
		}
	}
	// Truncated and extended files too.
	for _, bad := range [][]byte{ct[:len(ct)-1], ct[:len(ct)/2], append(bytes.Clone(ct), 0)} {
		f := filepath.Join(t.TempDir(), "bad.age")
		os.WriteFile(f, bad, 0o600)
		mustRefuse(t, b, f, "")
	}
	// The intact bundle still imports.
	if _, err := b.ImportBundle(context.Background(), file); err != nil {
		t.Fatal(err)
	}
}

// TestBundleTamperedPlaintext changes the decrypted tar stream and
// re-encrypts it to the real recipient: anyone can make an age file for b,
// so the signature and the hashes must catch every change.
func TestBundleTamperedPlaintext(t *testing.T) {
	a, b := partners(t)
	id := addCaseText(t, a, fullCase)
	a.ShareCase(id, "Beta Rights", nil)
	file := exportTo(t, a, "Beta Rights")
	pt := plainBundle(t, b, file)
	// Positions in every part: tar headers, manifest, signature, case
	// entry, end of archive. The zero padding that fills each entry's
	// last 512-byte block carries nothing and tar skips it unread, so
	// positions there are left out.
	padding := tarPadding(t, pt)
	step := max(1, len(pt)/300)
	n := 0
	for pos := 0; pos < len(pt); pos += step {
		if padding[pos] {
			continue
		}
		bad := bytes.Clone(pt)
		bad[pos] ^= 0x04
		f := sealFor(t, b, bad)
		before := storeDump(t, b)
		if _, err := b.ImportBundle(context.Background(), f); err == nil {
			t.Errorf("flip at %d of %d accepted", pos, len(pt))
		}
		if storeDump(t, b) != before {
			t.Fatalf("flip at %d changed the vault", pos)
		}
		n++
	}
	t.Logf("%d positions of %d bytes", n, len(pt))
	if _, err := b.ImportBundle(context.Background(), sealFor(t, b, pt)); err != nil {
		t.Fatalf("re-encrypted intact bundle refused: %v", err)
	}
}

// tarPadding returns the positions of the block padding after each
// entry's data in a tar stream.
func tarPadding(t *testing.T, pt []byte) map[int]bool {
	t.Helper()
	pad := map[int]bool{}
	cr := &countingReader{r: bytes.NewReader(pt)}
	tr := tar.NewReader(cr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		start := int(cr.n) // data follows the header just read
		end := start + int(hdr.Size)
		for p := end; p%512 != 0; p++ {
			pad[p] = true
		}
	}
	return pad
}

// tarEntry is one entry of a crafted bundle.
type tarEntry struct {
	name string
	typ  byte
	data []byte
	link string
}

func writeTar(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o600, Linkname: e.link}
		if typ == tar.TypeReg {
			hdr.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write(e.data)
		}
	}
	tw.Close()
	return buf.Bytes()
}

// craft builds a bundle from sender to the vault to with the given
// manifest entries and tar entries after the manifest; fix may change the
// manifest before it is signed.
func craft(t *testing.T, sender, to *Vault, listed []tarEntry, extra []tarEntry, fix func(m *Manifest)) []byte {
	t.Helper()
	m := Manifest{Format: bundleFormat, Version: bundleVersion, BundleID: NewBundleID().String(), Created: sender.now(),
		Sender:    BundleParty{Org: sender.Meta().Org, Recipient: sender.Meta().Recipient, VerifyKey: sender.Identity().VerifyKey()},
		Recipient: BundleParty{Org: to.Meta().Org, Recipient: to.Meta().Recipient},
		AuditHead: bundlefmt.AuditHead{Seq: 1, Hash: zeroHash}}
	for _, e := range listed {
		kind := kindCase
		if strings.HasPrefix(e.name, "evidence/") {
			kind = kindEvidence
		}
		h := sha256.Sum256(e.data)
		m.Entries = append(m.Entries, ManifestEntry{Name: e.name, Kind: kind, Size: int64(len(e.data)), SHA256: hex.EncodeToString(h[:])})
	}
	if fix != nil {
		fix(&m)
	}
	raw, _ := json.Marshal(m)
	sig := sender.Identity().Sign(manifestSigned(raw))
	all := append([]tarEntry{{name: manifestName, data: raw}, {name: manifestSigName, data: sig}}, extra...)
	return writeTar(t, all)
}

func caseEntryData(t *testing.T, origin CaseID, rev uint32, doc string) []byte {
	t.Helper()
	c, err := schema.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(CaseEntry{OriginCaseID: origin.String(), OriginRev: rev, Doc: c.Canonical()})
	return b
}

func TestBundleCraftedArchives(t *testing.T) {
	a, b := partners(t)
	origin := NewCaseID()
	good := tarEntry{name: "cases/" + origin.String() + ".json", data: caseEntryData(t, origin, 1, "person: {name: Crafted}\n")}
	other := NewCaseID()
	good2 := tarEntry{name: "cases/" + other.String() + ".json", data: caseEntryData(t, other, 1, "person: {name: Second}\n")}
	cases := map[string]struct {
		pt   []byte
		want string
	}{
		"symlink":       {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: good.name, typ: tar.TypeSymlink, link: "/etc/passwd"}}, nil), "not a regular file"},
		"hardlink":      {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: good.name, typ: tar.TypeLink, link: "manifest.json"}}, nil), "not a regular file"},
		"directory":     {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: "cases/", typ: tar.TypeDir}, good}, nil), "not a regular file"},
		"dotdot":        {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: "../" + good.name, data: good.data}}, nil), "not allowed"},
		"absolute":      {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: "/" + good.name, data: good.data}}, nil), "not allowed"},
		"listed dotdot": {craft(t, a, b, []tarEntry{{name: "cases/../../x.json", data: good.data}}, []tarEntry{{name: "cases/../../x.json", data: good.data}}, nil), "not allowed"},
		"duplicate":     {craft(t, a, b, []tarEntry{good}, []tarEntry{good, good}, nil), "not listed"},
		"listed twice":  {craft(t, a, b, []tarEntry{good, good}, []tarEntry{good, good}, nil), "twice"},
		"unlisted":      {craft(t, a, b, []tarEntry{good}, []tarEntry{good, good2}, nil), "not listed"},
		"missing":       {craft(t, a, b, []tarEntry{good, good2}, []tarEntry{good}, nil), "missing"},
		"reordered":     {craft(t, a, b, []tarEntry{good, good2}, []tarEntry{good2, good}, nil), "where the manifest lists"},
		"wrong hash":    {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: good.name, data: bytes.ToUpper(good.data)}}, nil), "SHA-256"},
		"wrong size":    {craft(t, a, b, []tarEntry{good}, []tarEntry{{name: good.name, data: append(bytes.Clone(good.data), ' ')}}, nil), "bytes"},
		"too many":      {craft(t, a, b, []tarEntry{good}, []tarEntry{good}, func(m *Manifest) { m.Entries = make([]ManifestEntry, 10_001) }), "limit"},
		"huge case":     {craft(t, a, b, []tarEntry{good}, []tarEntry{good}, func(m *Manifest) { m.Entries[0].Size = 5 << 20 }), "limit"},
		"wrong kind":    {craft(t, a, b, []tarEntry{good}, []tarEntry{good}, func(m *Manifest) { m.Entries[0].Kind = "evidence" }), "not allowed"},
		"other recipient": {craft(t, a, b, []tarEntry{good}, []tarEntry{good}, func(m *Manifest) {
			m.Recipient = BundleParty{Org: "Gamma", Recipient: a.Meta().Recipient}
		}), `addressed to "Gamma"`},
		"invalid case":      {craft(t, a, b, []tarEntry{{name: good.name, data: []byte(`{"origin_case_id":"` + origin.String() + `","origin_rev":1,"doc":{"person":{"gender":"robot"}}}`)}}, []tarEntry{{name: good.name, data: []byte(`{"origin_case_id":"` + origin.String() + `","origin_rev":1,"doc":{"person":{"gender":"robot"}}}`)}}, nil), "not a valid case"},
		"mismatched origin": {craft(t, a, b, []tarEntry{{name: good2.name, data: good.data}}, []tarEntry{{name: good2.name, data: good.data}}, nil), "names origin case"},
		"no signature":      {writeTar(t, []tarEntry{{name: manifestName, data: []byte("{}")}}), ""},
		"empty":             {writeTar(t, nil), "empty archive"},
		"garbage after":     {append(craft(t, a, b, []tarEntry{good}, []tarEntry{good}, nil), []byte("junk")...), "after the end"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { mustRefuse(t, b, sealFor(t, b, tc.pt), tc.want) })
	}
	// A bad signature: signed by a, manifest then changed.
	pt := craft(t, a, b, []tarEntry{good}, []tarEntry{good}, nil)
	pt = bytes.Replace(pt, []byte("Alpha Defence"), []byte("Alpha Defencf"), 1)
	mustRefuse(t, b, sealFor(t, b, pt), "signature does not verify")

	// The good crafted bundle is accepted (so the cases above fail for
	// their own reason).
	if _, err := b.ImportBundle(context.Background(), sealFor(t, b, craft(t, a, b, []tarEntry{good, good2}, []tarEntry{good, good2}, nil))); err != nil {
		t.Fatalf("good crafted bundle refused: %v", err)
	}
}

func TestBundleSenders(t *testing.T) {
	a, b := partners(t)
	c := newOrgVault(t, "Gamma Watch", nil)
	introduce(t, c, a)
	introduce(t, c, b)
	introduce(t, a, c)
	id := addCaseText(t, a, fullCase)
	a.ShareCase(id, "Beta Rights", nil)
	file := exportTo(t, a, "Beta Rights")

	// b forwards a's bundle to c, re-encrypted: c sees it is not for it.
	forwarded := sealFor(t, c, plainBundle(t, b, file))
	mustRefuse(t, c, forwarded, `addressed to "Beta Rights", not to this organisation`)

	// A vault that does not know a refuses its bundles.
	d := newOrgVault(t, "Delta", nil)
	introduce(t, a, d)
	a.ShareCase(id, "Delta", nil)
	mustRefuse(t, d, exportTo(t, a, "Delta"), "unknown organisation")

	// Not encrypted to us at all.
	mustRefuse(t, c, file, "not encrypted to this organisation")

	// Once b removes a, a's bundles are refused, and a cannot be sent to.
	if err := b.RemoveOrg("Alpha Defence"); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, b, file, `"Alpha Defence" was removed`)
	bCase := addCaseText(t, b, "person: {name: X}\n")
	if _, err := b.ShareCase(bCase, "Alpha Defence", nil); !IsNotFound(err) {
		t.Errorf("share with removed org: %v", err)
	}
	if _, err := b.ExportBundle(context.Background(), ExportBundleOptions{To: "Alpha Defence", Out: filepath.Join(t.TempDir(), "x")}); !IsNotFound(err) {
		t.Errorf("export to removed org: %v", err)
	}
	if orgs, _ := b.Orgs(false); len(orgs) != 0 {
		t.Errorf("orgs after rm: %+v", orgs)
	}
	// Re-adding a after comparing fingerprints makes its bundles welcome
	// again.
	introduce(t, b, a)
	if _, err := b.ImportBundle(context.Background(), file); err != nil {
		t.Fatal(err)
	}
}

func TestOrgRecords(t *testing.T) {
	a, b := partners(t)
	card, _ := b.Card()
	c, _ := ParseCard(card)
	var oe *OrgExistsError
	if _, err := a.AddOrg(c); !errors.As(err, &oe) {
		t.Errorf("adding a known org again: %v", err)
	}
	own, _ := a.Card()
	oc, _ := ParseCard(own)
	if _, err := a.AddOrg(oc); err == nil {
		t.Error("own card accepted as a partner")
	}
	manual, err := CardFromKeys("Manual Org", b.Meta().Recipient, base64Key(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddOrg(manual); err == nil || !strings.Contains(err.Error(), "already known") {
		t.Errorf("same keys under another name: %v", err)
	}
	if _, err := CardFromKeys("X", "age1nonsense", base64Key(b)); err == nil {
		t.Error("bad recipient accepted")
	}
	if _, err := CardFromKeys("X", b.Meta().Recipient, "AAAA"); err == nil {
		t.Error("bad verify key accepted")
	}
	// Rekey keeps organisations, shares and origin records usable.
	id := addCaseText(t, b, fullCase)
	b.ShareCase(id, "Alpha Defence", nil)
	res, err := a.ImportBundle(context.Background(), exportTo(t, b, "Alpha Defence"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s, err := b.Shares(nil, "Alpha Defence"); err != nil || len(s) != 1 {
		t.Fatalf("shares after rekey: %v %v", s, err)
	}
	updated, _ := schema.Parse([]byte(strings.Replace(fullCase, "Omsk", "Tomsk", 1)))
	b.UpdateCase(id, updated)
	res2, err := a.ImportBundle(context.Background(), exportTo(t, b, "Alpha Defence"))
	if err != nil {
		t.Fatal(err)
	}
	if res2.Cases[0].Case != res.Cases[0].Case || res2.Cases[0].Result != "updated" {
		t.Errorf("after rekey the newer bundle did not update the same case: %+v / %+v", res.Cases, res2.Cases)
	}
	// Purge drops the origin mapping with the case: the next bundle adds it anew.
	local, _ := ParseCaseID(res.Cases[0].Case)
	if _, err := a.Purge(context.Background(), local); err != nil {
		t.Fatal(err)
	}
	b.UpdateCase(id, testCase(t, "Ivan Petrov", "Иван", "released"))
	res3, err := a.ImportBundle(context.Background(), exportTo(t, b, "Alpha Defence"))
	if err != nil {
		t.Fatal(err)
	}
	if res3.Cases[0].Result != "added" || res3.Cases[0].Case == local.String() {
		t.Errorf("after purge: %+v", res3.Cases)
	}
}

func base64Key(v *Vault) string {
	card, _ := v.Card()
	var cj cardJSON
	json.Unmarshal(card, &cj)
	return cj.VerifyKey
}

// TestBundleStockAge decrypts a bundle with the age command built from the
// module version in go.mod, as a partner without casevault would.
func TestBundleStockAge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the age command")
	}
	ageBin := buildStockAge(t)
	for _, pq := range []bool{false, true} {
		var keyText string
		if pq {
			id, _ := age.GenerateHybridIdentity()
			keyText = id.String()
		} else {
			id, _ := age.GenerateX25519Identity()
			keyText = id.String()
		}
		a := newOrgVault(t, "Alpha Defence", nil)
		b := newOrgVault(t, "Beta Rights", []byte(keyText+"\n"))
		introduce(t, a, b)
		id := addCaseText(t, a, fullCase)
		a.ShareCase(id, "Beta Rights", nil)
		file := exportTo(t, a, "Beta Rights")
		keyFile := filepath.Join(t.TempDir(), "key.txt")
		os.WriteFile(keyFile, []byte(keyText+"\n"), 0o600)
		out, err := exec.Command(ageBin, "-d", "-i", keyFile, file).Output()
		if err != nil {
			t.Fatalf("age -d (pq %v): %v", pq, err)
		}
		tr := tar.NewReader(bytes.NewReader(out))
		var names []string
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, hdr.Name)
		}
		want := []string{manifestName, manifestSigName, "cases/" + id.String() + ".json"}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("age -d gave entries %v, want %v", names, want)
		}
	}
}

// buildStockAge builds the age command of the filippo.io/age version in
// go.mod, in a module of its own (our go.sum lacks what cmd/age needs), and
// skips the test only when that fails for lack of network.
func buildStockAge(t *testing.T) string {
	t.Helper()
	ver, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "filippo.io/age").Output()
	if err != nil {
		t.Fatalf("go list -m filippo.io/age: %v", err)
	}
	dir := t.TempDir()
	mod := fmt.Sprintf("module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n", strings.TrimSpace(string(ver)))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "age")
	cmd := exec.Command("go", "build", "-o", bin, "filippo.io/age/cmd/age")
	cmd.Dir = dir
	// The module cache already holds age and its dependencies, verified
	// when they were downloaded for this module; -mod=mod lets the build
	// write the scratch module's go.sum from it.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOSUMDB=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		for _, net := range []string{"dial tcp", "lookup ", "no such host", "connection refused", "GOPROXY=off", "network is unreachable"} {
			if strings.Contains(string(out), net) {
				t.Skipf("cannot build the age command without network: %s", out)
			}
		}
		t.Fatalf("go build filippo.io/age/cmd/age: %v\n%s", err, out)
	}
	return bin
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBundleNotAgeFileQuotesNothing gives import and inspect a plaintext
// file by mistake: the refusal must not quote its content.
func TestBundleNotAgeFileQuotesNothing(t *testing.T) {
	_, b := partners(t)
	for _, content := range []string{"correct horse battery staple\n", "schema: case.v1\nperson: {name: Ivan Petrov}\n", "age-encryption.org/v1\ncorrect horse\n", ""} {
		f := filepath.Join(t.TempDir(), "not-a-bundle")
		os.WriteFile(f, []byte(content), 0o600)
		_, err := b.InspectBundle(context.Background(), f)
		var be *BundleError
		if !errors.As(err, &be) {
			t.Fatalf("%q: inspect error %v, want a *BundleError", content, err)
		}
		for _, secret := range []string{"horse", "Ivan", "schema"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%q: error quotes the file: %v", content, err)
			}
		}
		mustRefuse(t, b, f, "")
	}
}

// TestBundleExportAuditedBeforeFile checks that the bundle.export entry is
// committed before the bundle appears at its path: a process killed in
// between must not leave a bundle that the audit log does not record.
func TestBundleExportAuditedBeforeFile(t *testing.T) {
	a, _ := partners(t)
	id := addCaseText(t, a, fullCase)
	if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	called := false
	bundleRenameHook = func(out string) {
		called = true
		if _, err := os.Stat(out); err == nil {
			t.Errorf("bundle file is in place before its audit entry is checked")
		}
		var last AuditEntry
		if err := a.AuditEntries(func(e AuditEntry) error { last = e; return nil }); err != nil {
			t.Fatal(err)
		}
		if last.Op != "bundle.export" {
			t.Errorf("at the moment the bundle is put in place, the last audit entry is %q, want bundle.export", last.Op)
		}
	}
	t.Cleanup(func() { bundleRenameHook = nil })
	out := exportTo(t, a, "Beta Rights")
	if !called {
		t.Fatal("the rename hook did not run")
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("bundle not written: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("files beside the bundle: %v, want only the bundle", ents)
	}
}
