package publish

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// testKey is the organisation key of every test publication.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

const testOrg = "Test Defence Group"

func testSign(msg []byte) []byte { return ed25519.Sign(testKey, msg) }

func testPub() ed25519.PublicKey { return testKey.Public().(ed25519.PublicKey) }

// loadCase parses a case file from testdata/cases (or a path).
func loadCase(t testing.TB, name string) *schema.Case {
	t.Helper()
	path := name
	if !strings.Contains(name, "/") {
		path = filepath.Join("testdata", "cases", name+".yaml")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := schema.Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// parseCase parses a case file given as text.
func parseCase(t testing.TB, yaml string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(yaml))
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	return c
}

// source makes a Source with IDs derived from name.
func source(name string, c *schema.Case) Source {
	h := sha256.Sum256([]byte(name))
	return Source{CaseID: "c-" + name, PublicID: "p" + hex.EncodeToString(h[:])[:16], Case: c}
}

// fixtures are the cases in testdata/cases.
var fixtures = []string{"anonymous", "crowd-1", "crowd-2", "kara-murza", "no-consent", "none", "override", "partner"}

// testPartner is the partner organisation that partner.yaml came from.
const testPartner = "Crimea Rights Test"

// fixtureOptions publish the partner's case too (publish --from), with the
// default k-anonymity check.
var fixtureOptions = Options{From: []string{testPartner}, Partners: []string{testPartner}, K: DefaultK}

// The tests of the leak scan publish anonymous cases alone, without the
// crowd they would hide in: for them, Options.K 0 means no k-anonymity
// check. Tests of the check (anon_test.go), the golden files and the
// browser test set Options.K; the vault's and the command's tests run with
// the real default.
func init() { defaultK = 1 }

func fixtureSources(t testing.TB) []Source {
	var out []Source
	for _, n := range fixtures {
		s := source(n, loadCase(t, n))
		if n == "partner" {
			s.Origin = testPartner
		}
		out = append(out, s)
	}
	return out
}

// build prepares and builds a publication of sources in format.
func build(t testing.TB, sources []Source, format string, o Options) *Publication {
	t.Helper()
	set, err := Prepare(testOrg, sources, o)
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	p, err := Build(set, format, testPub(), testSign)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

// allText is every file of a publication, concatenated.
func allText(p *Publication) string {
	var b strings.Builder
	for _, k := range p.Paths() {
		b.Write(p.Files[k])
		b.WriteByte('\n')
	}
	return b.String()
}

// setDoc sets the value at a dotted path (creating objects; "[i]" indexes
// an existing list) in a copy of the case and validates it.
func setField(t testing.TB, c *schema.Case, path string, value any) *schema.Case {
	t.Helper()
	doc := clone(c.Doc).(map[string]any)
	var cur any = doc
	parts := strings.Split(path, ".")
	for i, p := range parts {
		name, idx := p, -1
		if j := strings.IndexByte(p, '['); j >= 0 {
			name = p[:j]
			idx = int(p[j+1] - '0')
		}
		m := cur.(map[string]any)
		last := i == len(parts)-1
		if idx >= 0 {
			l := m[name].([]any)
			if last {
				l[idx] = value
				break
			}
			cur = l[idx]
			continue
		}
		if last {
			m[name] = value
			break
		}
		if _, ok := m[name]; !ok {
			m[name] = map[string]any{}
		}
		cur = m[name]
	}
	out := &schema.Case{Doc: doc}
	if err := out.Validate(); err != nil {
		t.Fatalf("setting %s: %v", path, err)
	}
	return out
}

func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range v {
			m[k] = clone(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = clone(e)
		}
		return l
	}
	return v
}
