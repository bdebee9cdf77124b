package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// legacyFixture is a vault and a backup written by casevault at commit
// d407e05, before revisions were written without HTML escaping; its
// cases hold '&', '<' and '>' (mkfixture.go.txt is the program that made
// it, identity.txt its unprotected identity).
const legacyFixture = "testdata/legacy-d407e05"

// copyFixtureTree copies the directory src to dst, keeping modes.
func copyFixtureTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// git keeps no modes but the executable bit: the files the old
		// version wrote itself (not Badger's) were private.
		mode := info.Mode().Perm()
		if strings.Count(filepath.ToSlash(rel), "/") <= 1 {
			mode = 0o600
		}
		return os.WriteFile(target, b, mode)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// legacyVault returns a writable copy of the fixture vault and the
// unlock of its identity.
func legacyVault(t testing.TB) (string, Unlock) {
	t.Helper()
	root := t.TempDir()
	copyFixtureTree(t, legacyFixture, root)
	return filepath.Join(root, "vault"), Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
}

// legacyWant are the documents the fixture's program stored, by the text
// of person.name and revision, decoded.
var legacyTexts = []string{
	"Tom & Jerry <Tom>",
	"Tom & Jerry <b>bold</b> > all",
	"a & b < c > d \u2028 \\u0026 literal",
	"Updated: R&D <script>alert(1)</script>",
}

func TestLegacyHTMLEscapedRevisionsOpen(t *testing.T) {
	dir, u := legacyVault(t)
	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open legacy vault: %v", err)
	}
	defer v.Close()
	ids, err := v.CaseIDs()
	if err != nil || len(ids) != 2 {
		t.Fatalf("CaseIDs = %v, %v; want 2 cases", ids, err)
	}
	var all bytes.Buffer
	revs := 0
	for _, id := range ids {
		hist, err := v.History(id)
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		for _, r := range hist {
			revs++
			c, err := r.Case()
			if err != nil {
				t.Fatalf("case %s rev %d: %v", id, r.Rev, err)
			}
			// The bytes handed out are canonical again: re-encoding the
			// decoded document gives them back, so that export, bundles
			// and hashes computed downstream agree.
			if !bytes.Equal(c.Canonical(), r.Doc) {
				t.Errorf("case %s rev %d: document bytes are not canonical:\n%s\n%s", id, r.Rev, r.Doc, c.Canonical())
			}
			all.Write(r.Doc)
		}
		if _, err := v.Case(id); err != nil {
			t.Fatalf("Case(%s): %v", id, err)
		}
	}
	if revs != 3 {
		t.Errorf("read %d revisions, want 3", revs)
	}
	for _, want := range legacyTexts {
		enc, _ := marshalJSON(want)
		if !bytes.Contains(all.Bytes(), enc) {
			t.Errorf("text %q not found in the revisions read:\n%s", want, all.Bytes())
		}
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("check reports problems on the legacy vault: %+v", rep.Problems)
	}
	var exp bytes.Buffer
	if n, err := v.Export(context.Background(), &exp); err != nil || n != 2 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	if !strings.Contains(exp.String(), `"Updated: R&D <script>alert(1)</script>"`) {
		t.Errorf("export lost the text:\n%s", exp.String())
	}
	// A legacy case can be updated, and the new revision is stored
	// unescaped.
	cur, _ := v.Case(ids[0])
	c, _ := cur.Case()
	c.Doc["notes"] = "new & <more>"
	r2, err := v.UpdateCase(ids[0], c)
	if err != nil {
		t.Fatalf("UpdateCase of a legacy case: %v", err)
	}
	got, err := v.CaseRevision(ids[0], r2.Rev)
	if err != nil || !bytes.Contains(got.Doc, []byte(`"new & <more>"`)) {
		t.Fatalf("updated revision = %s, %v", got.Doc, err)
	}
}

func TestLegacyHTMLEscapedBackupRestores(t *testing.T) {
	root := t.TempDir()
	copyFixtureTree(t, legacyFixture, root)
	f, err := os.Open(filepath.Join(root, "legacy.cvbackup"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
	dst := filepath.Join(root, "restored")
	if _, err := Restore(context.Background(), f, dst, u, Options{}); err != nil {
		t.Fatalf("Restore of a legacy backup: %v", err)
	}
	v, err := Open(dst, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	var exp bytes.Buffer
	if _, err := v.Export(context.Background(), &exp); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(exp.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["person"].(map[string]any)["name"] != legacyTexts[0] {
			t.Errorf("restored case name = %v", m["person"])
		}
	}
}
