package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders the fixtures in every format and compares every file,
// manifest and signature included, with testdata/golden/FORMAT.
func TestGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			p := build(t, fixtureSources(t), format, fixtureOptions)
			dir := filepath.Join("testdata", "golden", format)
			if *update {
				os.RemoveAll(dir)
				os.MkdirAll(filepath.Dir(dir), 0o755)
				if err := p.WriteDir(dir); err != nil {
					t.Fatal(err)
				}
			}
			var onDisk []string
			filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, path)
					onDisk = append(onDisk, filepath.ToSlash(rel))
				}
				return nil
			})
			if !slices.Equal(onDisk, p.Paths()) {
				t.Fatalf("files %v, golden has %v (run go test ./vault/publish -run TestGolden -update)", p.Paths(), onDisk)
			}
			for _, rel := range p.Paths() {
				want, _ := os.ReadFile(filepath.Join(dir, rel))
				if !bytes.Equal(p.Files[rel], want) {
					t.Errorf("%s differs from the golden file (run go test ./vault/publish -run TestGolden -update and review the diff)", rel)
				}
			}
			if _, err := Verify(dir, testOrg, testPub()); err != nil {
				t.Errorf("golden publication does not verify: %v", err)
			}
		})
	}
}

// TestDeterministic publishes twice, through the file system, and compares
// the bytes.
func TestDeterministic(t *testing.T) {
	for _, format := range Formats {
		a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
		// Sources in a different order must not matter either.
		src := fixtureSources(t)
		if err := build(t, src, format, Options{}).WriteDir(a); err != nil {
			t.Fatal(err)
		}
		slices.Reverse(src)
		if err := build(t, src, format, Options{}).WriteDir(b); err != nil {
			t.Fatal(err)
		}
		fa, fb := readTree(t, a), readTree(t, b)
		if len(fa) == 0 || len(fa) != len(fb) {
			t.Fatalf("%s: %d files and %d files", format, len(fa), len(fb))
		}
		for k, v := range fa {
			if !bytes.Equal(v, fb[k]) {
				t.Errorf("%s: %s differs between two runs", format, k)
			}
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

// TestConsent: "none" and a missing consent never appear; "anonymous"
// appears without name, birth year, region, facility, court or judge.
func TestConsent(t *testing.T) {
	for _, format := range Formats {
		out := allText(build(t, fixtureSources(t), format, Options{}))
		for _, never := range []string{"Boris", "Hidden", "Скрытый", "Tver", "Must never appear", "Gleb", "Неспрошенный", "Perm",
			"Anna", "Smirnova", "Анна", "Смирнова", "1994", "Omsk Regional", "SIZO-1", "Pavel Orlov", "nurse", "2023-04-28", "2023-05-02"} {
			if strings.Contains(out, never) {
				t.Errorf("%s output contains %q", format, never)
			}
		}
		for _, want := range []string{"Vladimir Kara-Murza", "Владимир Кара-Мурза", "Igor Baranov", "Anonymous ", "A young woman charged"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q", format, want)
			}
		}
		// Overridden fields of a full-consent case stay out.
		for _, never := range []string{"Kaliningrad", "Elena Morozova", "IK-13"} {
			if strings.Contains(out, never) {
				t.Errorf("%s output contains %q, hidden by sensitivity_overrides", format, never)
			}
		}
	}
	set, err := Prepare(testOrg, fixtureSources(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Records) != 3 {
		t.Fatalf("%d records, want 3 (full, full, anonymous)", len(set.Records))
	}
}

// TestJSONColumns checks the JSON keys against the documented CSV columns:
// every single value is a column of cases.csv, every list a file of its own.
func TestJSONColumns(t *testing.T) {
	p := build(t, fixtureSources(t), "json", Options{})
	var doc struct {
		Org   string           `json:"org"`
		Cases []map[string]any `json:"cases"`
	}
	if err := json.Unmarshal(p.Files["cases.json"], &doc); err != nil {
		t.Fatal(err)
	}
	var km map[string]any
	for _, c := range doc.Cases {
		if c["name"] == "Vladimir Kara-Murza" {
			km = c
		}
		for k := range c {
			if _, list := ListColumns[k+".csv"]; !slices.Contains(Columns, k) && !list {
				t.Errorf("unexpected key %q", k)
			}
		}
	}
	for _, col := range Columns {
		if _, ok := km[col]; !ok && col != "facility" && col != "federal_district" && col != "anonymous" && col != "next_hearing" {
			t.Errorf("column %q missing for Kara-Murza", col)
		}
	}
	if km["birth_year"] != 1981.0 || km["region"] != "Moscow" || km["first_detention_date"] != "2022-04-11" {
		t.Errorf("Kara-Murza: %v", km)
	}
	if strings.HasPrefix(km["id"].(string), "c") || km["id"] == "c-kara-murza" {
		t.Errorf("public ID %v reveals the case ID", km["id"])
	}
}

func TestWriteDirRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	err := build(t, fixtureSources(t), "csv", Options{}).WriteDir(dir)
	if !errors.Is(err, ErrOutputExists) {
		t.Fatalf("err = %v, want ErrOutputExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Fatal("foreign file touched")
	}
	// An earlier publication is replaced as a whole.
	pubDir := filepath.Join(t.TempDir(), "pub")
	if err := build(t, fixtureSources(t), "html", Options{}).WriteDir(pubDir); err != nil {
		t.Fatal(err)
	}
	if err := build(t, fixtureSources(t), "csv", Options{}).WriteDir(pubDir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(pubDir, "index.html")); err == nil {
		t.Fatal("old files of the replaced publication remain")
	}
	if _, err := Verify(pubDir, testOrg, testPub()); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(pubDir))
	if len(ents) != 1 {
		t.Fatalf("leftovers next to the publication: %v", ents)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	c := setField(t, loadCase(t, "kara-murza"), "publication.summary", "- [click](javascript:x) <script>alert(1)</script> *bold* #tag")
	out := string(build(t, []Source{source("km", c)}, "md", Options{}).Files["cases.md"])
	for _, bad := range []string{"[click]", "<script>", "*bold*", "\n- [", "\n#tag"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains unescaped %q", bad)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	c := setField(t, loadCase(t, "kara-murza"), "publication.summary", `<script>alert(1)</script><img src=x onerror=alert(2)> "quoted"`)
	p := build(t, []Source{source("km", c)}, "html", Options{})
	for _, k := range p.Paths() {
		s := string(p.Files[k])
		if strings.Contains(s, "<script>alert") || strings.Contains(s, "<img") {
			t.Errorf("%s contains unescaped markup", k)
		}
	}
	// The site refers to nothing outside its pages.
	p = build(t, fixtureSources(t), "html", Options{})
	for _, k := range p.Paths() {
		s := string(p.Files[k])
		if strings.HasSuffix(k, ".html") {
			for _, ext := range []string{"http://", "https://", " src=", "@import", "url(", "<link", "<img", "<iframe"} {
				if strings.Contains(s, ext) {
					t.Errorf("%s refers to something outside the page: %q", k, ext)
				}
			}
			if !strings.Contains(s, `<meta charset="utf-8">`) || !strings.Contains(s, "Content-Security-Policy") || !strings.Contains(s, `<html lang="en">`) {
				t.Errorf("%s lacks charset, CSP or lang", k)
			}
		}
	}
}

func TestCSVFormulaCells(t *testing.T) {
	c := setField(t, loadCase(t, "kara-murza"), "publication.summary", "=HYPERLINK(\"x\")")
	out := string(build(t, []Source{source("km", c)}, "csv", Options{}).Files["cases.csv"])
	if !strings.Contains(out, `'=HYPERLINK`) {
		t.Errorf("formula cell not defused:\n%s", out)
	}
}
