package vault

import (
	"context"
	"slices"
	"testing"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// A one-word search streams its postings (streamSearch) on an imported
// vault (posting groups): it finds exactly the cases a scan of every
// document finds, each once, with the same fields for --field, and pages
// of --limit/--offset put together give the whole answer in the same
// order.
func TestStreamSearchMatchesScan(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 150, 21)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 30 << 10}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, word := range []string{"colony", "sentenced", "Omsk", "1980"} {
		q, err := index.ParseQuery(word)
		if err != nil {
			t.Fatal(err)
		}
		if !v.streams(q, Filter{}) {
			t.Fatalf("%s: not streamed", word)
		}
		var scanned []string
		err = v.view(func(txn *store.Txn) error {
			return v.scanSearch(ctx, txn, q, -1, Filter{}, func(h Hit) error { scanned = append(scanned, h.ID); return nil })
		})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		if err := v.SearchCases(ctx, word, Filter{}, SearchOptions{}, func(h Hit) error { all = append(all, h.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(all) < 2 && word != "1980" {
			t.Fatalf("%s: %d hits; the test needs a common word", word, len(all))
		}
		a, b := slices.Clone(all), slices.Clone(scanned)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) || len(slices.Compact(a)) != len(all) {
			t.Fatalf("%s: stream found %d cases, scan %d (or a case twice)", word, len(all), len(scanned))
		}
		var paged []string
		for off := 0; ; off += 7 {
			n := 0
			err := v.SearchCases(ctx, word, Filter{Limit: 7, Offset: off}, SearchOptions{}, func(h Hit) error { paged = append(paged, h.ID); n++; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if n < 7 {
				break
			}
		}
		if !slices.Equal(paged, all) {
			t.Fatalf("%s: pages of 7 give %d hits in another order than one search (%d)", word, len(paged), len(all))
		}
	}
}
