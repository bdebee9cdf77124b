package cases

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/casevault/casevault/schema"
)

// BenchmarkDiffCase diffs the repository's largest sample case against a
// copy with one field changed, as 'case diff' and the stale check do.
func BenchmarkDiffCase(b *testing.B) {
	data, err := os.ReadFile("../../../testdata/cases/kara-murza.yaml")
	if err != nil {
		b.Skip(err)
	}
	c, err := schema.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	var a, other any
	_ = json.Unmarshal(c.Canonical(), &a)
	_ = json.Unmarshal(c.Canonical(), &other)
	other.(map[string]any)["status"] = "released"
	b.ReportAllocs()
	for b.Loop() {
		if d := Diff(a, other); len(d) != 1 {
			b.Fatalf("%d changes", len(d))
		}
		if u := Undone(a, other, a); len(u) != 1 {
			b.Fatalf("%d undone", len(u))
		}
	}
}
