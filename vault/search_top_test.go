package vault

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/index"
	"pgregory.net/rapid"
)

// A search with a sort order pages its hits exactly as index.SortAndPage
// orders and pages them all, for every order, offset and limit, names
// that differ only in case, equal times and dates, unknown dates; and
// with a limit it keeps no more than offset+limit hits whatever their
// number (issue 14: `--sort updated --limit 20` of 75,000 hits held all
// of them before).
func TestTopHitsEqualsSortAndPage(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 60).Draw(t, "n")
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		hits := make([]Hit, n)
		for i := range hits {
			hits[i] = Hit{Summary: Summary{
				ID:            fmt.Sprintf("c%03d", rapid.IntRange(0, 999).Draw(t, "id")*1000+i),
				Name:          rapid.SampledFrom([]string{"anna", "Anna", "ANNA", "Boris", "boris", "Яна", "яна", "", "Ёлкин"}).Draw(t, "name"),
				Updated:       base.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "updated")) * time.Hour),
				FirstDetained: rapid.SampledFrom([]string{"", "2021", "2021-05", "2021-05-03", "2023"}).Draw(t, "detained"),
			}, Fields: []string{fmt.Sprint(i)}}
		}
		f := Filter{
			Sort:   rapid.SampledFrom([]string{index.SortName, index.SortUpdated, index.SortDetained}).Draw(t, "sort"),
			Offset: rapid.IntRange(0, n+2).Draw(t, "offset"),
			Limit:  rapid.IntRange(0, n+2).Draw(t, "limit"),
		}
		top := newTopHits(f)
		most := 0
		for _, h := range hits {
			top.add(h)
			most = max(most, len(top.h.s))
		}
		if f.Limit > 0 && most > f.Offset+f.Limit {
			t.Fatalf("kept %d hits for offset %d and limit %d", most, f.Offset, f.Limit)
		}
		var want []string
		sums := make([]Summary, n)
		for i, h := range hits {
			sums[i] = h.Summary
		}
		for _, s := range index.SortAndPage(sums, f) {
			want = append(want, s.ID)
		}
		fields := map[string]string{}
		for _, h := range hits {
			fields[h.ID] = h.Fields[0]
		}
		var got []string
		for _, h := range top.page() {
			got = append(got, h.ID)
			if len(h.Fields) != 1 || h.Fields[0] != fields[h.ID] {
				t.Fatalf("hit %s has fields %v, want [%s]", h.ID, h.Fields, fields[h.ID])
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("sort %s offset %d limit %d:\n got %v\nwant %v", f.Sort, f.Offset, f.Limit, got, want)
		}
	})
}

// case list with a limit keeps the first Offset+Limit of each order
// (listTop) and gives the page a list of every case, sorted and paged,
// gives.
func TestListLimitEqualsSortAndPage(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 120, 8)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{"", index.SortName, index.SortUpdated, index.SortDetained} {
		for _, st := range []string{"", "sentenced"} {
			all, err := v.ListCases(Filter{Sort: sort, Status: st})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) < 10 {
				t.Fatalf("%d cases listed", len(all))
			}
			for _, p := range [][2]int{{1, 0}, {7, 3}, {20, 50}, {5, len(all) - 2}, {3, len(all) + 1}} {
				f := Filter{Sort: sort, Status: st, Limit: p[0], Offset: p[1]}
				got, err := v.ListCases(f)
				if err != nil {
					t.Fatal(err)
				}
				want := index.SortAndPage(slices.Clone(all), Filter{Sort: sort, Limit: p[0], Offset: p[1]})
				if !slices.EqualFunc(got, want, func(a, b Summary) bool { return a.ID == b.ID }) {
					t.Fatalf("sort %q status %q limit %d offset %d: %d cases, want %d (or in another order)", sort, st, p[0], p[1], len(got), len(want))
				}
			}
		}
	}
}
