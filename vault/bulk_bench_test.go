package vault

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
)

// Benchmarks on 10,000 realistic generated cases (schema/casegen, seed
// 1), loaded with Import:
//
//	go test -run '^$' -bench 'Gen' -benchmem ./vault
//
// BenchmarkCore* (core_bench_test.go) measure the same operations on
// smaller made-up cases.

const genBenchCases = 10000

func genBenchVault(b *testing.B) (*Vault, []CaseID) {
	b.Helper()
	v := newTestVault(b)
	path := writeGenerated(b, FormatJSONL, genBenchCases, 1)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		b.Fatal(err)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		b.Fatal(err)
	}
	return v, ids
}

func genDocs(b *testing.B, n int, seed uint64) []*schema.Case {
	g := casegen.New(seed)
	out := make([]*schema.Case, n)
	for i := range out {
		j, _ := json.Marshal(g.Case())
		c, err := schema.FromJSON(j)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = c
	}
	return out
}

// BenchmarkGenAddCase adds one case (its own transaction, audit entry and
// synchronous commit) to a vault of 10,000.
func BenchmarkGenAddCase(b *testing.B) {
	v, _ := genBenchVault(b)
	docs := genDocs(b, 64, 2)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := v.AddCase(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenShowCase reads and parses the current revision of a case.
func BenchmarkGenShowCase(b *testing.B) {
	v, ids := genBenchVault(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, err := v.Case(ids[i%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Case(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenListAll lists all 10,000 summaries, sorted.
func BenchmarkGenListAll(b *testing.B) {
	v, _ := genBenchVault(b)
	b.ResetTimer()
	for b.Loop() {
		if l, err := v.ListCases(Filter{}); err != nil || len(l) != genBenchCases {
			b.Fatal(len(l), err)
		}
	}
}

// BenchmarkGenListStatus lists the sentenced cases (about 45%).
func BenchmarkGenListStatus(b *testing.B) {
	v, _ := genBenchVault(b)
	b.ResetTimer()
	for b.Loop() {
		if l, err := v.ListCases(Filter{Status: "sentenced"}); err != nil || len(l) == 0 {
			b.Fatal(len(l), err)
		}
	}
}

// BenchmarkGenSearchName searches a surname (tens of hits).
func BenchmarkGenSearchName(b *testing.B) {
	v, _ := genBenchVault(b)
	b.ResetTimer()
	for b.Loop() {
		if l, err := v.Search("Yablonskaya"); err != nil || len(l) == 0 {
			b.Fatal(len(l), err)
		}
	}
}

// BenchmarkGenSearchTwoWords searches an article and a region (AND).
func BenchmarkGenSearchTwoWords(b *testing.B) {
	v, _ := genBenchVault(b)
	b.ResetTimer()
	for b.Loop() {
		if l, err := v.Search("207.3 omsk"); err != nil || len(l) == 0 {
			b.Fatal(len(l), err)
		}
	}
}

// BenchmarkGenImport imports 1,000 generated cases (check and import
// passes) into a fresh vault per iteration; ns/op divided by 1,000 is the
// cost of one imported case.
func BenchmarkGenImport(b *testing.B) {
	path := writeGenerated(b, FormatJSONL, 1000, 3)
	for b.Loop() {
		b.StopTimer()
		v := newTestVault(b)
		b.StartTimer()
		if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		v.Close()
		b.StartTimer()
	}
}
