package vault

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
	"pgregory.net/rapid"
)

// indexView is what a vault's search index says of its cases, with each
// case named by the SHA-256 of its current document rather than its
// random ID: every token's cases and the fields holding it, the
// vocabulary record of every token's start, and every summary (without
// its ID, revision and time).
func indexView(t testing.TB, v *Vault) []string {
	t.Helper()
	var out []string
	err := v.view(func(txn *store.Txn) error {
		byID := map[CaseID]string{}
		toks := map[string]bool{}
		err := v.exportWalk(txn, func(id CaseID, r *Revision) error {
			byID[id] = r.SHA256
			doc, err := r.Case()
			if err != nil {
				return err
			}
			for tok := range index.CaseTokens(doc, nil) {
				toks[tok] = true
			}
			s, err := v.summaries(txn, []CaseID{id})
			if err != nil || len(s) != 1 {
				return fmt.Errorf("summary of %s: %v (%d)", id, err, len(s))
			}
			s[0].ID, s[0].Rev, s[0].Updated = "", 0, time.Time{}
			j, _ := json.Marshal(s[0])
			out = append(out, "summary "+r.SHA256+" "+string(j))
			return nil
		})
		if err != nil {
			return err
		}
		starts := map[string]bool{}
		for tok := range toks {
			es, err := v.postingEntries(txn, tok)
			if err != nil {
				return err
			}
			var cases []string
			for _, e := range es {
				cases = append(cases, fmt.Sprint(byID[e.ID], e.Fields.Numbers()))
			}
			slices.Sort(cases)
			out = append(out, "token "+tok+": "+strings.Join(cases, " "))
			if s, ok := index.VocabStartOf(tok); ok {
				starts[s] = true
			}
		}
		for s := range starts {
			voc, err := v.vocabulary(txn, s)
			if err != nil {
				return err
			}
			out = append(out, "vocabulary "+s+": "+strings.Join(voc, " "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// An import (parsing workers prepare each new case's postings, MACs and
// sealed summary; the writer collects posting groups, one case table a
// batch) gives the index that adding the same cases one by one gives
// (single postings, the writer doing everything): the same cases under
// every token with the same fields, the same vocabulary and summaries;
// and check finds nothing in either.
func TestImportIndexEqualsAddedOneByOneProperty(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		_ = f.Value.Set("12") // two vaults a check: seconds, not minutes
		defer func() { _ = f.Value.Set(f.DefValue) }()
	}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 24).Draw(rt, "cases")
		seed := rapid.Uint64Range(1, 1<<20).Draw(rt, "seed")
		batch := rapid.SampledFrom([]int{4 << 10, 16 << 10, 1 << 20}).Draw(rt, "batch bytes")
		path := writeGenerated(t, FormatJSONL, n, seed)
		imp := newTestVault(t)
		defer imp.Close()
		if _, err := imp.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: batch}); err != nil && !strings.Contains(err.Error(), "another person") {
			rt.Fatal(err)
		}
		one := newTestVault(t)
		defer one.Close()
		// the documents the import stored (records of one person merged)
		err := imp.view(func(txn *store.Txn) error {
			return imp.exportWalk(txn, func(_ CaseID, r *Revision) error {
				doc, err := r.Case()
				if err != nil {
					return err
				}
				_, err = one.AddCase(doc)
				return err
			})
		})
		if err != nil {
			rt.Fatal(err)
		}
		got, want := indexView(t, imp), indexView(t, one)
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					rt.Fatalf("imported index differs from cases added one by one at line %d:\nimport: %s\nadded:  %s", i, got[i], want[i])
				}
			}
			rt.Fatalf("imported index has %d lines, added one by one %d", len(got), len(want))
		}
		for _, v := range []*Vault{imp, one} {
			if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
				rt.Fatalf("check: %+v, %v", rep, err)
			}
		}
	})
}
