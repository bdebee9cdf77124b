package vault

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestRekeyIndexParallel: after a rekey (whose postings and import keys
// are rebuilt on every core and written in groups) every search finds the
// same cases as before, check finds the index consistent, a re-import
// finds every case again, and a purge afterwards removes the purged case
// from every search.
func TestRekeyIndexParallel(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 150, 3)
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
	if err != nil && (rep == nil || rep.Added == 0) {
		t.Fatal(err)
	}
	ids, err := v.CaseIDs()
	if err != nil || len(ids) < 100 {
		t.Fatalf("%d cases, %v", len(ids), err)
	}
	// Queries: words of the cases, a prefix, and structured filters.
	queries := []string{"status:sentenced", "status:pretrial", "article:275", "moscow", "иван", "ива*", "petrov", "2021"}
	search := func() map[string][]string {
		out := map[string][]string{}
		for _, q := range queries {
			hits, err := v.Search(q)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			for _, h := range hits {
				out[q] = append(out[q], h.ID)
			}
			slices.Sort(out[q])
		}
		return out
	}
	before := search()
	found := 0
	for _, hs := range before {
		found += len(hs)
	}
	t.Logf("hits before: %d", found)
	if found == 0 {
		t.Fatal("the queries find nothing: the test would prove nothing")
	}
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := search(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("searches differ after rekey:\nbefore %v\nafter  %v", before, after)
	}
	cr, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(cr.Problems) != 0 {
		t.Fatalf("check after rekey: %v %+v", err, cr)
	}
	// The import keys were rebuilt: the same file adds nothing.
	rep, err = v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
	if rep == nil || rep.Added != 0 {
		t.Fatalf("re-import after rekey added %+v (%v)", rep, err)
	}
	// Purge a case found by a query: no query finds it afterwards.
	var target CaseID
	for _, q := range queries {
		if hs := before[q]; len(hs) > 0 {
			if target, err = ParseCaseID(hs[0]); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if _, err := v.Purge(context.Background(), target); err != nil {
		t.Fatal(err)
	}
	for q, hs := range search() {
		if slices.Contains(hs, target.String()) {
			t.Fatalf("purged case still found by %q", q)
		}
	}
	if cr, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(cr.Problems) != 0 {
		t.Fatalf("check after purge: %v %+v", err, cr)
	}
}
