package publish

import (
	"fmt"
	"runtime"
	"testing"
)

// benchSources returns n published cases: the fixtures with distinct names,
// witnesses and summaries.
func benchSources(b *testing.B, n int) []Source {
	base := []Source{}
	for _, name := range []string{"kara-murza", "anonymous", "override"} {
		base = append(base, source(name, loadCase(b, name)))
	}
	out := make([]Source, 0, n)
	for i := 0; i < n; i++ {
		src := base[i%len(base)]
		c := setField(b, src.Case, "person.name", fmt.Sprintf("Person Number%d", i))
		c = setField(b, c, "publication.summary", fmt.Sprintf("Case %d: detained for an anti-war post, held since 2023, letters welcome at the facility.", i))
		c = setField(b, c, "mistreatment", []any{map[string]any{"witnesses": []any{fmt.Sprintf("Witness Surname%d", i)}, "description": "Beaten by guards during a search of the cell on arrival at the colony."}})
		out = append(out, source(fmt.Sprint("bench", i), c))
	}
	return out
}

// BenchmarkPrepare measures selection, projection and the leak scan.
func BenchmarkPrepare(b *testing.B) {
	for _, n := range []int{100, 1000} {
		src := benchSources(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Prepare(testOrg, src, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildHTML measures rendering the site and signing its manifest.
func BenchmarkBuildHTML(b *testing.B) {
	src := benchSources(b, 1000)
	set, err := Prepare(testOrg, src, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Build(set, "html", testPub(), testSign); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan10000 measures Prepare (projection, needles of every case
// and the leak scan of every output string) on 10,000 generated cases with
// realistic names, all published. Besides wall time it reports the CPU
// time of the process per run (cpu-s/op), which the other load on a
// shared machine does not inflate.
func BenchmarkScan10000(b *testing.B) {
	src := realisticSources(b, 10000, 42)
	runtime.GC()
	cpu := processCPU()
	for b.Loop() {
		if _, err := Prepare(testOrg, src, Options{Review: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}
