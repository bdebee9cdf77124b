package publish

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePub(t *testing.T, format string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pub")
	if err := build(t, fixtureSources(t), format, Options{}).WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func wantProblem(t *testing.T, err error, substr string) {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a VerifyError", err)
	}
	if !strings.Contains(ve.Error(), substr) {
		t.Fatalf("problems %q do not mention %q", ve.Problems, substr)
	}
}

func TestVerify(t *testing.T) {
	dir := writePub(t, "html")
	res, err := Verify(dir, testOrg, testPub())
	if err != nil {
		t.Fatal(err)
	}
	if res.Org != testOrg || res.Cases != 3 || res.Files != 6 || res.Output != "html" {
		t.Fatalf("%+v", res)
	}
}

func TestVerifyDetects(t *testing.T) {
	page := func(dir string) string {
		m, _ := filepath.Glob(filepath.Join(dir, "cases", "*.html"))
		return m[0]
	}
	for name, tc := range map[string]struct {
		change func(t *testing.T, dir string)
		want   string
	}{
		"altered page": {func(t *testing.T, dir string) {
			p := page(dir)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte("Published by"), []byte("Forged by"), 1), 0o644)
		}, "altered"},
		"altered index": {func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, "index.html"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("<script>evil()</script>")
			f.Close()
		}, "index.html: altered"},
		"added file": {func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "cases", "extra.html"), []byte("x"), 0o644)
		}, "cases/extra.html: added"},
		"removed file": {func(t *testing.T, dir string) {
			os.Remove(page(dir))
		}, "missing"},
		"symlink": {func(t *testing.T, dir string) {
			os.Symlink("/etc/passwd", filepath.Join(dir, "passwd"))
		}, "not a regular file"},
		"altered manifest": {func(t *testing.T, dir string) {
			p := filepath.Join(dir, ManifestName)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"cases": 3`), []byte(`"cases": 4`), 1), 0o644)
		}, "signature does not verify"},
		"removed signature": {func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, SignatureName))
		}, "MANIFEST.sig: missing"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writePub(t, "html")
			tc.change(t, dir)
			_, err := Verify(dir, testOrg, testPub())
			wantProblem(t, err, tc.want)
		})
	}
}

func TestVerifyWrongOrganisation(t *testing.T) {
	dir := writePub(t, "json")
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, 32)).Public().(ed25519.PublicKey)
	_, err := Verify(dir, testOrg, other)
	wantProblem(t, err, "signature does not verify")
	// The right key under another name: the manifest names the publisher.
	_, err = Verify(dir, "Other Group", testPub())
	wantProblem(t, err, `names organisation "Test Defence Group", the card is for "Other Group"`)
}

// TestVerifyResignedByOther: a publication altered and re-signed by someone
// else, with their key written into the manifest, fails against the real
// organisation's card.
func TestVerifyResignedByOther(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pub")
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	set, err := Prepare(testOrg, fixtureSources(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(set, "csv", other.Public().(ed25519.PublicKey), func(m []byte) []byte { return ed25519.Sign(other, m) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	_, err = Verify(dir, testOrg, testPub())
	wantProblem(t, err, "signature does not verify")
}
