package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository's top directory, where the samples the README
// and --help point to are (testdata/cases, testdata/import).
var repoRoot = func() string {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return dir
}()

// TestSamplesScriptCoversEverySample checks that testdata/script/
// samples.txtar adds every sample case file of testdata/cases and imports
// every file of testdata/import meant to work, so that a sample added later
// is tried through the binary too.
func TestSamplesScriptCoversEverySample(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "script", "samples.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"testdata/cases", "testdata/import"} {
		entries, err := os.ReadDir(filepath.Join(repoRoot, dir))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), "invalid") {
				continue // testdata/cases/invalid and testdata/import/invalid.csv are meant to fail
			}
			n++
			if want := "$REPO/" + dir + "/" + e.Name(); !strings.Contains(string(script), want) {
				t.Errorf("samples.txtar does not try %s", want)
			}
		}
		if n == 0 {
			t.Errorf("no samples found in %s", dir)
		}
	}
}
