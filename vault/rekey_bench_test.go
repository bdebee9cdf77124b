package vault

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/schema/casegen"
)

// BenchmarkRekey rotates the master key of a vault of 5,000 generated
// cases: go test -run '^$' -bench Rekey ./vault
func BenchmarkRekey(b *testing.B) {
	v := newTestVault(b)
	g := casegen.New(1)
	path := filepath.Join(b.TempDir(), "cases.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	enc := json.NewEncoder(f)
	for range 5000 {
		if err := enc.Encode(g.Case()); err != nil {
			b.Fatal(err)
		}
	}
	f.Close()
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := v.Rekey(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
