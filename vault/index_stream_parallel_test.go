package vault

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// streamHits is what a one-word search passes on, in its order.
func streamHits(t *testing.T, v *Vault, query string, f Filter) []string {
	t.Helper()
	var out []string
	err := v.SearchCases(context.Background(), query, f, SearchOptions{}, func(h Hit) error {
		out = append(out, h.ID+" "+h.Summary.Name+" "+strings.Join(h.Fields, ","))
		return nil
	})
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	return out
}

// A one-word search whose summaries are read ahead on several goroutines
// (streamSummaries) passes on exactly the hits, in the same order, that
// reading them one by one does, with every --offset and --limit, and its
// hits are the cases a scan of every case finds.
func TestStreamSearchParallelReadsSameHits(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 150, 7)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { streamParallelMin = n }(streamParallelMin)
	parallelRuns := 0
	for _, word := range []string{"colony", "Omsk", "207.3", "sentenced", "Kuznetsova"} {
		all := streamHits(t, v, word, Filter{})
		ids := make([]string, len(all))
		for i, h := range all {
			ids[i] = strings.Fields(h)[0]
		}
		slices.Sort(ids)
		scan := scanAnswer(t, v, word, SearchOptions{}, Filter{})
		for i := range scan {
			scan[i] = strings.Fields(scan[i])[0]
		}
		if !slices.Equal(ids, scan) {
			t.Fatalf("%q: streamed hits %v, a scan finds %v", word, ids, scan)
		}
		t.Logf("%q: %d hits", word, len(all))
		if len(all) >= 32 { // one import batch: one posting group
			parallelRuns++
		}
		for _, f := range []Filter{{}, {Limit: 1}, {Limit: 20}, {Limit: 20, Offset: 3}, {Offset: 17}, {Limit: 70, Offset: 1}, {Limit: 5, Offset: len(all)}} {
			streamParallelMin = 16
			par := streamHits(t, v, word, f)
			streamParallelMin = 1 << 30
			one := streamHits(t, v, word, f)
			if !slices.Equal(par, one) {
				t.Errorf("%q offset %d limit %d: read ahead in parallel %d hits, one by one %d:\n%v\n%v", word, f.Offset, f.Limit, len(par), len(one), par, one)
			}
		}
	}
	if parallelRuns < 2 {
		t.Fatalf("only %d words had enough hits to read in parallel", parallelRuns)
	}
}
