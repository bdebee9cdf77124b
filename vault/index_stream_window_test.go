package vault

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A one-word search with many hits reads their summaries in windows, by
// one pass in key order (summaryWindow), as does a search of several
// words or a prefix with many candidates, and passes on exactly the hits
// that reading each by key passes on: the same cases, fields and order,
// whole or in pages of --limit/--offset, with a filter, with --field. The
// summaries it holds at once are one window, whatever the number of hits.
func TestStreamWindowMatchesByKey(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 300, 33)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 40 << 10}); err != nil {
		t.Fatal(err)
	}
	search := func(word string, f Filter, o SearchOptions) []string {
		t.Helper()
		var out []string
		err := v.SearchCases(context.Background(), word, f, o, func(h Hit) error {
			out = append(out, h.ID+" "+h.Status+" "+strings.Join(h.Fields, ","))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	type query struct {
		word string
		f    Filter
		o    SearchOptions
	}
	var queries []query
	for _, w := range []string{"colony", "sentenced", "Omsk", "1980", "col*", "sentenced colony", "omsk 207.3"} {
		queries = append(queries,
			query{word: w},
			query{word: w, f: Filter{Limit: 37, Offset: 11}},
			query{word: w, f: Filter{Offset: 5}},
			query{word: w, f: Filter{Status: "sentenced"}},
			query{word: w, o: SearchOptions{Field: "person.name"}})
	}
	byKey := make([][]string, len(queries))
	defer func(a, n, p int) { streamWindowAfter, streamWindow, windowPassMin, onWindowRead = a, n, p, nil }(streamWindowAfter, streamWindow, windowPassMin)
	// No windows: every summary read by its key (a search of several
	// words or a prefix reads its few candidates by key too).
	streamWindowAfter, windowPassMin = 1<<30, 1<<30
	for i, q := range queries {
		byKey[i] = search(q.word, q.f, q.o)
	}
	if len(byKey[0]) < 100 {
		t.Fatalf("colony: %d hits; the test needs many", len(byKey[0]))
	}
	streamWindowAfter, streamWindow, windowPassMin = 5, 23, 0
	most, passes := 0, 0
	onWindowRead = func(n int, pass bool) {
		most = max(most, n)
		if pass {
			passes++
		}
	}
	for i, q := range queries {
		got := search(q.word, q.f, q.o)
		if !slices.Equal(got, byKey[i]) {
			t.Fatalf("%s %+v %+v: %d hits read in windows, %d by key, or in another order\n%s", q.word, q.f, q.o, len(got), len(byKey[i]), diffLines(got, byKey[i]))
		}
	}
	if passes == 0 {
		t.Fatal("no window was read by a pass")
	}
	if most > streamWindow {
		t.Fatalf("a window held %d hits, more than %d", most, streamWindow)
	}
	// Pages put together are the whole answer.
	var paged []string
	for off := 0; ; off += 29 {
		p := search("colony", Filter{Limit: 29, Offset: off}, SearchOptions{})
		paged = append(paged, p...)
		if len(p) < 29 {
			break
		}
	}
	if !slices.Equal(paged, byKey[0]) {
		t.Fatalf("pages of 29 give %d hits, one search %d", len(paged), len(byKey[0]))
	}
}

// diffLines names the first line where a and b differ.
func diffLines(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d: %q against %q", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(a), len(b))
}
