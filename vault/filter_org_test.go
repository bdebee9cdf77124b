package vault

import (
	"context"
	"slices"
	"testing"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// TestOrgFilterByPosting: cases imported from a partner are found by
// --org through their organisation's posting (not by reading every
// summary): the posting holds exactly the imported cases, in any case of
// the name, follows an edit and a removal, is rebuilt by RebuildIndex,
// and check finds the index in order. Our own cases have no such posting.
func TestOrgFilterByPosting(t *testing.T) {
	a, b := partners(t)
	var shared []CaseID
	for range 2 {
		id := addCaseText(t, a, fullCase)
		if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
			t.Fatal(err)
		}
		shared = append(shared, id)
	}
	own := addCaseText(t, b, fullCase)
	res, err := b.ImportBundle(context.Background(), exportTo(t, a, "Beta Rights"))
	if err != nil || len(res.Cases) != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	var imported []string
	for _, c := range res.Cases {
		imported = append(imported, c.Case)
	}
	slices.Sort(imported)
	posting := func(org string) []string {
		t.Helper()
		var out []string
		if err := b.view(func(txn *store.Txn) error {
			ids, err := b.postings(txn, index.OrgToken(org))
			for _, id := range ids {
				out = append(out, id.String())
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	listed := func(org string) []string {
		t.Helper()
		list, err := b.ListCases(Filter{Org: org})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		slices.Sort(out)
		return out
	}
	checkClean := func(what string) {
		t.Helper()
		rep, err := b.Check(context.Background(), CheckOptions{})
		if err != nil || len(rep.Problems) != 0 {
			t.Errorf("%s: check: %v %+v", what, err, rep)
		}
	}
	if got := posting("ALPHA DEFENCE"); !slices.Equal(got, imported) {
		t.Errorf("posting of Alpha Defence %v, want the imported %v", got, imported)
	}
	for _, org := range []string{"Alpha Defence", " alpha defence "} {
		if got := listed(org); !slices.Equal(got, imported) {
			t.Errorf("--org %q lists %v, want %v", org, got, imported)
		}
	}
	if got := listed("Beta Rights"); len(got) != 0 || slices.Contains(got, own.String()) {
		t.Errorf("--org of our own name lists %v", got)
	}
	checkClean("after import")

	// An edit keeps the case's provenance and its posting; a removal
	// takes the posting away.
	first, _ := ParseCaseID(imported[0])
	rev, err := b.Case(first)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := rev.Case()
	if err != nil {
		t.Fatal(err)
	}
	doc.Doc["status"] = "released"
	if _, err := b.UpdateCase(first, doc); err != nil {
		t.Fatal(err)
	}
	if got := listed("alpha defence"); !slices.Equal(got, imported) {
		t.Errorf("after an edit --org lists %v, want %v", got, imported)
	}
	if err := b.RemoveCase(first); err != nil {
		t.Fatal(err)
	}
	if got := posting("Alpha Defence"); !slices.Equal(got, imported[1:]) {
		t.Errorf("after removal the posting holds %v, want %v", got, imported[1:])
	}
	checkClean("after edit and removal")
	if err := b.RebuildIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := posting("Alpha Defence"); !slices.Equal(got, imported[1:]) {
		t.Errorf("after a rebuild the posting holds %v, want %v", got, imported[1:])
	}
	checkClean("after rebuild")
}
