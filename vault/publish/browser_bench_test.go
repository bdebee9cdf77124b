package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBrowserFilter measures, in Chromium, how long the index's
// filter takes to show the cases a query finds (one keystroke: fold the
// query, match every row), on an index of 2,000 cases. Each case is a
// fixture record under a name from the fold corpus. The figure is ms per
// query (ms/query); a query is one of omsk, kuznetsova, ворон, 207.3 and
// Зайцеву, in turn.
func BenchmarkBrowserFilter(b *testing.B) {
	set, err := Prepare(testOrg, fixtureSources(b), fixtureOptions)
	if err != nil {
		b.Fatal(err)
	}
	names := foldCorpus()
	const n = 2000
	big := &Set{Org: testOrg, K: set.K}
	for i := range n {
		r := *set.Records[i%len(set.Records)]
		r.ID = fmt.Sprintf("p%016x", i)
		if !r.Anonymous {
			r.Name = names[(2*i)%len(names)] + " " + names[(2*i+1)%len(names)]
			r.NameNative = ""
		}
		big.Records = append(big.Records, &r)
	}
	files, err := Render(big, "html")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), files["index.html"], 0o644); err != nil {
		b.Fatal(err)
	}
	br := startBrowser(b)
	br.open("file://" + filepath.ToSlash(dir) + "/index.html")
	queries := []string{"omsk", "kuznetsova", "ворон", "207.3", "Зайцеву"}
	var total float64
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ms := br.eval(fmt.Sprintf(`(() => { const q = document.querySelector("input[name=q]"); q.value = %q;
			const t0 = performance.now(); q.dispatchEvent(new Event("input", {bubbles: true})); return performance.now() - t0; })()`, queries[i%len(queries)]))
		total += ms.(float64)
	}
	b.ReportMetric(total/float64(b.N), "ms/query")
	b.ReportMetric(float64(len(files["index.html"]))/n, "index-bytes/case")
}
