package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/publish"
)

func publishFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("publish", "testdata", "cases", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lastAudit(t *testing.T, v *Vault) AuditEntry {
	t.Helper()
	var last AuditEntry
	if err := v.AuditEntries(func(e AuditEntry) error { last = e; return nil }); err != nil {
		t.Fatal(err)
	}
	return last
}

func TestPublishAuditsAndVerifies(t *testing.T) {
	dir, v := coreInit(t, true)
	var published []string
	// crowd-1 and crowd-2 (consent none) are the cases the anonymous one
	// hides among (k-anonymity, k = 3 by default).
	for _, n := range []string{"kara-murza", "anonymous", "none", "no-consent", "override", "crowd-1", "crowd-2"} {
		id := coreAdd(t, v, publishFixture(t, n))
		if n != "none" && n != "no-consent" && !strings.HasPrefix(n, "crowd") {
			published = append(published, id.String())
		}
	}
	slices.Sort(published)
	out := filepath.Join(t.TempDir(), "site")
	res, err := v.Publish(context.Background(), PublishOptions{Dir: out, Format: "html"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases != 3 || len(res.Files) != 8 || len(res.Coarsened) != 1 {
		t.Fatalf("%+v", res)
	}
	e := lastAudit(t, v)
	if e.Op != "publish" || !slices.Equal(e.Targets, published) || e.ContentSHA256 != res.ManifestSHA256 {
		t.Fatalf("audit entry %+v, want publish of %v with %s", e, published, res.ManifestSHA256)
	}
	if _, err := v.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Verify(out, v.Meta().Org, v.Identity().VerifyKey()); err != nil {
		t.Fatal(err)
	}
	// Verification from the organisation card, as a reader would.
	cardJSON, err := v.Card()
	if err != nil {
		t.Fatal(err)
	}
	card, err := ParseCard(cardJSON)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Verify(out, card.Org, card.VerifyKey); err != nil {
		t.Fatal(err)
	}
	// No internal case ID in the output.
	for _, f := range res.Files {
		b, _ := os.ReadFile(filepath.Join(out, f))
		for _, id := range published {
			if strings.Contains(string(b), id) {
				t.Errorf("%s contains case ID %s", f, id)
			}
		}
	}

	// The same vault, reopened, publishes the same bytes: public IDs are
	// derived from the identity, not from anything random.
	first := readDir(t, out)
	v.Close()
	v = coreOpen(t, dir)
	out2 := filepath.Join(t.TempDir(), "site")
	if _, err := v.Publish(context.Background(), PublishOptions{Dir: out2, Format: "html"}); err != nil {
		t.Fatal(err)
	}
	second := readDir(t, out2)
	if len(first) != len(second) {
		t.Fatalf("%d and %d files", len(first), len(second))
	}
	for k, b := range first {
		if string(second[k]) != string(b) {
			t.Errorf("%s differs between two publications of the same vault", k)
		}
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

func TestPublishLeakWritesNothing(t *testing.T) {
	_, v := coreInit(t, true)
	leaky := strings.Replace(publishFixture(t, "anonymous"), "A young woman charged", "Witness Ivanov says a young woman was charged", 1)
	coreAdd(t, v, leaky)
	before, _ := v.AuditHead()
	out := filepath.Join(t.TempDir(), "site")
	_, err := v.Publish(context.Background(), PublishOptions{Dir: out, Format: "json", K: 1})
	var le *publish.LeakError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a LeakError", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("output exists after a refused publication: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 0 {
		t.Fatalf("leftovers: %v", ents)
	}
	if after, _ := v.AuditHead(); after != before {
		t.Fatal("refused publication left an audit entry")
	}
	// --redact masks and publishes.
	res, err := v.Publish(context.Background(), PublishOptions{Dir: out, Format: "json", Redact: true, K: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Masked) == 0 {
		t.Fatal("nothing reported as masked")
	}
	b, _ := os.ReadFile(filepath.Join(out, "cases.json"))
	if strings.Contains(string(b), "Ivanov") || !strings.Contains(string(b), publish.Mask) {
		t.Fatalf("cases.json:\n%s", b)
	}
}

func TestPublishNamedCases(t *testing.T) {
	_, v := coreInit(t, true)
	km := coreAdd(t, v, publishFixture(t, "kara-murza"))
	coreAdd(t, v, publishFixture(t, "override"))
	none := coreAdd(t, v, publishFixture(t, "none"))
	out := filepath.Join(t.TempDir(), "x")
	res, err := v.Publish(context.Background(), PublishOptions{Dir: out, Format: "csv", Cases: []CaseID{km}})
	if err != nil || res.Cases != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	var np *NotPublishableError
	if _, err := v.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "y"), Format: "csv", Cases: []CaseID{none}}); !errors.As(err, &np) {
		t.Fatalf("err = %v, want NotPublishableError", err)
	}
	if _, err := v.Publish(context.Background(), PublishOptions{Dir: filepath.Join(v.Dir(), "pub"), Format: "csv"}); err == nil {
		t.Fatal("publication inside the vault directory accepted")
	}
	id, err := v.PublicID(km)
	if err != nil || !strings.HasPrefix(id, "p") || len(id) != 17 {
		t.Fatalf("public ID %q, %v", id, err)
	}
	if nid, _ := v.PublicID(none); nid != "" {
		t.Fatalf("never-published case has public ID %q", nid)
	}
}

// TestPublishProtectsUnpublishedNames: a case with consent none is scanned
// for even though it is not published, also with --case.
func TestPublishProtectsUnpublishedNames(t *testing.T) {
	_, v := coreInit(t, true)
	coreAdd(t, v, publishFixture(t, "none")) // Boris Hidden
	km := coreAdd(t, v, strings.Replace(publishFixture(t, "kara-murza"), "Opposition politician sentenced", "Cellmate of Boris Hidden, sentenced", 1))
	for _, cases := range [][]CaseID{nil, {km}} {
		_, err := v.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "x"), Format: "md", Cases: cases})
		var le *publish.LeakError
		if !errors.As(err, &le) || le.Hits[0].Kind != "withheld name" {
			t.Fatalf("cases %v: err = %v, want a withheld-name leak", cases, err)
		}
	}
	var nf *NotFoundError
	if _, err := v.Publish(context.Background(), PublishOptions{Dir: filepath.Join(t.TempDir(), "y"), Format: "md", Cases: []CaseID{NewCaseID()}}); !errors.As(err, &nf) {
		t.Fatalf("unknown case: %v", err)
	}
}

// TestPublishPartnerCases imports a partner's case through a real bundle:
// it is published only when named or with From, shows its origin, and is
// never published once the partner is removed.
func TestPublishPartnerCases(t *testing.T) {
	a, b := partners(t)
	aCase := addCaseText(t, a, publishFixture(t, "partner"))
	if _, err := a.ShareCase(aCase, "Beta Rights", nil); err != nil {
		t.Fatal(err)
	}
	res, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights"))
	if err != nil {
		t.Fatal(err)
	}
	imported, _ := ParseCaseID(res.Cases[0].Case)
	own := addCaseText(t, b, publishFixture(t, "kara-murza"))
	pub := func(o PublishOptions) (*PublishResult, string, error) {
		o.Dir, o.Format = filepath.Join(t.TempDir(), "out"), "json"
		r, err := b.Publish(context.Background(), o)
		if err != nil {
			return nil, "", err
		}
		data, _ := os.ReadFile(filepath.Join(o.Dir, "cases.json"))
		return r, string(data), nil
	}
	r, out, err := pub(PublishOptions{})
	if err != nil || r.Cases != 1 || strings.Contains(out, "Sadykov") {
		t.Fatalf("default: %v, %+v: the partner's case was published unnamed", err, r)
	}
	r, out, err = pub(PublishOptions{From: []string{"Alpha Defence"}})
	if err != nil || r.Cases != 2 || !strings.Contains(out, `"origin": "Alpha Defence"`) || !strings.Contains(out, `"origin": "Beta Rights"`) {
		t.Fatalf("--from: %v, %+v\n%s", err, r, out)
	}
	if e := lastAudit(t, b); !slices.Contains(e.Targets, imported.String()) {
		t.Errorf("audit targets %v lack the imported case", e.Targets)
	}
	r, _, err = pub(PublishOptions{Cases: []CaseID{imported, own}})
	if err != nil || r.Cases != 2 {
		t.Fatalf("--case: %v, %+v", err, r)
	}
	var nf *NotFoundError
	if _, _, err := pub(PublishOptions{From: []string{"Gamma"}}); !errors.As(err, &nf) || nf.Kind != NotFoundOrg {
		t.Errorf("--from an unknown organisation: %v", err)
	}
	if err := b.RemoveOrg("Alpha Defence"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := pub(PublishOptions{From: []string{"Alpha Defence"}}); !errors.As(err, &nf) {
		t.Errorf("--from a removed partner: %v", err)
	}
	var ex *publish.ExcludedError
	if _, _, err := pub(PublishOptions{Cases: []CaseID{imported}}); !errors.As(err, &ex) || !strings.Contains(err.Error(), "no longer a partner") {
		t.Errorf("--case of a removed partner's case: %v", err)
	}
	if r, out, err := pub(PublishOptions{}); err != nil || r.Cases != 1 || strings.Contains(out, "Sadykov") {
		t.Errorf("after removal: %v, %+v", err, r)
	}
}
