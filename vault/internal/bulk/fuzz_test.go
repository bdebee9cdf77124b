package bulk

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzImportFile feeds arbitrary bytes to the import file readers of every
// format: they must report problems, never panic or hang.
func FuzzImportFile(f *testing.F) {
	f.Add([]byte("name,gender\nIvan,male\n"))
	f.Add([]byte(`{"person":{"name":"A"}}` + "\n"))
	f.Add([]byte("person:\n  name: A\n---\nperson: {name: B}\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{FormatCSV, FormatJSONL, FormatYAML} {
			rep, _, err := Check(p, Options{Format: format})
			if err == nil && rep.Valid+rep.Invalid != rep.Records {
				t.Fatalf("%s: %+v", format, rep)
			}
		}
	})
}
