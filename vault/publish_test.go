package vault

import (
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
	for _, n := range []string{"kara-murza", "anonymous", "none", "no-consent", "override"} {
		id := coreAdd(t, v, publishFixture(t, n))
		if n != "none" && n != "no-consent" {
			published = append(published, id.String())
		}
	}
	slices.Sort(published)
	out := filepath.Join(t.TempDir(), "site")
	res, err := v.Publish(PublishOptions{Dir: out, Format: "html"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases != 3 || len(res.Files) != 6 {
		t.Fatalf("%+v", res)
	}
	e := lastAudit(t, v)
	if e.Op != "publish" || !slices.Equal(e.Targets, published) || e.ContentSHA256 != res.ManifestSHA256 {
		t.Fatalf("audit entry %+v, want publish of %v with %s", e, published, res.ManifestSHA256)
	}
	if _, err := v.VerifyAudit(); err != nil {
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
	if _, err := v.Publish(PublishOptions{Dir: out2, Format: "html"}); err != nil {
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
	_, err := v.Publish(PublishOptions{Dir: out, Format: "json"})
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
	res, err := v.Publish(PublishOptions{Dir: out, Format: "json", Redact: true})
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
	res, err := v.Publish(PublishOptions{Dir: out, Format: "csv", Cases: []CaseID{km}})
	if err != nil || res.Cases != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	var np *NotPublishableError
	if _, err := v.Publish(PublishOptions{Dir: filepath.Join(t.TempDir(), "y"), Format: "csv", Cases: []CaseID{none}}); !errors.As(err, &np) {
		t.Fatalf("err = %v, want NotPublishableError", err)
	}
	if _, err := v.Publish(PublishOptions{Dir: filepath.Join(v.Dir(), "pub"), Format: "csv"}); err == nil {
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
		_, err := v.Publish(PublishOptions{Dir: filepath.Join(t.TempDir(), "x"), Format: "md", Cases: cases})
		var le *publish.LeakError
		if !errors.As(err, &le) || le.Hits[0].Kind != "withheld name" {
			t.Fatalf("cases %v: err = %v, want a withheld-name leak", cases, err)
		}
	}
	var nf *NotFoundError
	if _, err := v.Publish(PublishOptions{Dir: filepath.Join(t.TempDir(), "y"), Format: "md", Cases: []CaseID{NewCaseID()}}); !errors.As(err, &nf) {
		t.Fatalf("unknown case: %v", err)
	}
}
