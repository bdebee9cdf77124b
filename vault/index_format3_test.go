package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
	"pgregory.net/rapid"
)

// format2Fixture is a vault whose search index is of format 2, written by
// the casevault before index format 3 (see its README.txt).
const format2Fixture = "testdata/vault-format2"

// copyFixture returns a writable copy of a fixture directory.
func copyFixture(t *testing.T, src string) string {
	t.Helper()
	root := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// searchAnswer is what a search answers: each case found with the fields
// that matched, one line per case, sorted.
func searchAnswer(t testing.TB, v *Vault, query string, o SearchOptions, f Filter) []string {
	t.Helper()
	var out []string
	err := v.SearchCases(context.Background(), query, f, o, func(h Hit) error {
		out = append(out, h.ID+" "+strings.Join(h.Fields, ","))
		return nil
	})
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	slices.Sort(out)
	return out
}

// scanAnswer is the same question answered by opening every case
// (scanSearch: no postings read).
func scanAnswer(t testing.TB, v *Vault, query string, o SearchOptions, f Filter) []string {
	t.Helper()
	q, err := index.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	field := -1
	if o.Field != "" {
		field, _ = index.FieldNumber(o.Field)
	}
	var out []string
	err = v.view(func(txn *store.Txn) error {
		return v.scanSearch(context.Background(), txn, q, field, f, func(h Hit) error {
			out = append(out, h.ID+" "+strings.Join(h.Fields, ","))
			return nil
		})
	})
	if err != nil {
		t.Fatalf("scan %q: %v", query, err)
	}
	slices.Sort(out)
	return out
}

// indexShape counts the posting records by kind and fails on a posting
// that is neither a single posting of index format 3 nor a group whose
// case table decodes.
func indexShape(t testing.TB, v *Vault) (singles, groups, tables int) {
	t.Helper()
	err := v.view(func(txn *store.Txn) error {
		r := postingReader{txn: txn}
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if _, err := r.entries(nil, it.Item()); err != nil {
				return fmt.Errorf("posting %x: %w", it.Item().Key(), err)
			}
			if len(it.Item().Key()) == index.GroupKeyLen {
				groups++
			} else {
				singles++
			}
		}
		tit := txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PCaseTable}})
		defer tit.Close()
		for tit.Rewind(); tit.Valid(); tit.Next() {
			tables++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return singles, groups, tables
}

// fixtureQuery is a search asked of a fixture vault, in a field or any.
type fixtureQuery struct {
	q     string
	field string
}

// migrateFixture opens a copy of a vault fixture whose index is of an
// earlier format read-only, where it answers queries by opening the cases,
// then read-write, which rebuilds the index to the current format. It
// fails unless the rebuilt index is current and made of posting groups of
// one case table, answers every query as before and as opening every case
// does, and check finds nothing. It returns the answers before (by query
// and field) and the open vault.
func migrateFixture(t *testing.T, fixture string, queries []fixtureQuery) (map[string][]string, *Vault) {
	t.Helper()
	root := copyFixture(t, fixture)
	dir, u := filepath.Join(root, "vault"), Unlock{IdentityFile: filepath.Join(root, "identity.txt")}
	ro, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.indexCurrent {
		t.Fatal("an index of an earlier format read as current")
	}
	before := map[string][]string{}
	for _, q := range queries {
		before[q.q+"|"+q.field] = searchAnswer(t, ro, q.q, SearchOptions{Field: q.field}, Filter{})
	}
	article, err := ro.ListCases(Filter{Articles: []string{"207.3"}})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()

	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("read-write open of %s: %v", fixture, err)
	}
	t.Cleanup(func() { v.Close() })
	info, err := v.readIndexInfo()
	if err != nil || info.Format != indexFormat || !v.indexCurrent {
		t.Fatalf("index after the open: %+v, %v (current %v)", info, err, v.indexCurrent)
	}
	singles, groups, tables := indexShape(t, v)
	if groups == 0 || tables != 1 || singles != 0 {
		t.Fatalf("rebuilt index: %d single postings, %d groups, %d case tables; want groups of one table", singles, groups, tables)
	}
	for _, q := range queries {
		got := searchAnswer(t, v, q.q, SearchOptions{Field: q.field}, Filter{})
		if want := before[q.q+"|"+q.field]; !slices.Equal(got, want) {
			t.Errorf("%q (field %q) after the rebuild: %v, before %v", q.q, q.field, got, want)
		}
		if want := scanAnswer(t, v, q.q, SearchOptions{Field: q.field}, Filter{}); !slices.Equal(got, want) {
			t.Errorf("%q (field %q): index %v, scan %v", q.q, q.field, got, want)
		}
	}
	after, err := v.ListCases(Filter{Articles: []string{"207.3"}})
	if err != nil || len(after) != len(article) || len(after) == 0 {
		t.Errorf("--article 207.3 after the rebuild: %d cases (%v), before %d", len(after), err, len(article))
	}
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after the rebuild: %+v, %v", rep, err)
	}
	return before, v
}

// A vault whose index is of format 2 answers read-only (by opening the
// cases) and is rebuilt at its first read-write open: the answers stay
// the same, every posting is a current record, check finds nothing, and
// the casevault of format 2 would refuse it as newer.
func TestFormat2IndexRebuilds(t *testing.T) {
	before, v := migrateFixture(t, format2Fixture, []fixtureQuery{
		{"kuznetsova", ""}, {"Кузнецова", "person.name"}, {"ворон*", ""}, {"зайцеву", ""}, {"omsk", ""},
		{`"Кузнецова Ворона"`, ""}, {"colony", ""}, {"sentenced", ""}, {"Ткаченко", ""}, {"Tkachenko", "person.name_native"},
	})
	if got := before["зайцеву|"]; !slices.Contains(got, "ct6e7uzh5hmzk72zn person.name") {
		t.Fatalf("read-only search of the format 2 vault: зайцеву finds %v", got)
	}
	if got := before["kuznetsova|"]; len(got) == 0 || !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "c3vfayfm2prwbk3r7 ") }) {
		t.Fatalf("read-only search of the format 2 vault: kuznetsova finds %v", got)
	}
	// The removed case is in no posting.
	if got := searchAnswer(t, v, "cyr2q6oymvmhbglrc", SearchOptions{}, Filter{}); len(got) != 0 {
		t.Fatalf("removed case found: %v", got)
	}
}

// A vault whose index is of format 3 (one vocabulary record per start) is
// rebuilt to one vocabulary record per token: prefix queries answer as
// before, every vocabulary key is of the new length and opens to a token
// of its start, and the removed case's words are in no record.
func TestFormat3IndexRebuilds(t *testing.T) {
	before, v := migrateFixture(t, "testdata/vault-format3", []fixtureQuery{
		{"ворон*", ""}, {"quokka*", ""}, {"вороб*", "notes"}, {"Zaitseva", ""}, {"зайц*", ""}, {"Sidorov", ""},
		{"sido*", ""}, {"Vorontsova", "person.name"}, {"omsk*", ""}, {"колон*", ""},
	})
	for q, want := range map[string][]string{
		"ворон*|":  {"c3ivj6umpbh6jc5tl person.name", "c46cjeltbo7f2srag notes"},
		"quokka*|": {"c3ivj6umpbh6jc5tl person.name", "c46cjeltbo7f2srag notes"},
	} {
		if got := before[q]; !slices.Equal(got, want) {
			t.Fatalf("read-only search of the format 3 vault: %s finds %v, want %v", q, got, want)
		}
	}
	for _, q := range []string{"sido*|", "Sidorov|"} {
		if slices.ContainsFunc(before[q], func(s string) bool { return strings.HasPrefix(s, "cyilc2p4fwjbxwqzm ") }) {
			t.Fatalf("%s finds the removed case: %v", q, before[q])
		}
	}
	toks := map[string]bool{}
	err := v.view(func(txn *store.Txn) error {
		return eachKey(txn, []byte{store.PVocab}, true, func(k []byte, item *store.Item) error {
			sealed, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			pt, err := openRecord(k, v.keys.index, sealed)
			if err != nil {
				return err
			}
			if want, ok := index.VocabKey(v.keys.index, string(pt)); !ok || !bytes.Equal(k, want) || len(k) != index.VocabKeyLen {
				return fmt.Errorf("vocabulary record %x holds %q, whose key is %x", k, pt, want)
			}
			toks[string(pt)] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Quokkaville", "Vorontsova", "Воронцова", "Вороненко"} {
		q, err := index.ParseQuery(w)
		if err != nil || len(q.Terms) != 1 {
			t.Fatalf("%s: %+v, %v", w, q, err)
		}
		if !toks[q.Terms[0]] {
			t.Errorf("vocabulary after the rebuild lacks %q, the token of %s (%d tokens)", q.Terms[0], w, len(toks))
		}
	}
	if len(toks) < 100 {
		t.Errorf("vocabulary after the rebuild: %d tokens", len(toks))
	}
}

// For arbitrary imported case sets (several import transactions, so
// several case tables), re-imports with changed names, single adds,
// updates and removals, every kind of query answers through the format 3
// index exactly what opening every case answers, and check finds nothing;
// removing every case leaves no posting group.
func TestFormat3SearchMatchesScanProperty(t *testing.T) {
	// Each check makes a vault and imports: 25 checks unless -rapid.checks
	// says otherwise, to keep the test within seconds.
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == f.DefValue {
		_ = f.Value.Set("25")
		defer func() { _ = f.Value.Set(f.DefValue) }()
	}
	rapid.Check(t, func(rt *rapid.T) {
		v := newTestVault(t)
		defer v.Close()
		n := rapid.IntRange(2, 16).Draw(rt, "cases")
		seed := rapid.Uint64Range(1, 1<<20).Draw(rt, "seed")
		path := writeGenerated(t, FormatJSONL, n, seed)
		batch := rapid.SampledFrom([]int{4 << 10, 12 << 10, 1 << 20}).Draw(rt, "batch bytes")
		if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: batch}); err != nil {
			rt.Fatal(err)
		}
		word := rapid.SampledFrom([]string{"Зайцев", "Kuznetsova", "Ворона", "Omsk", "colony", "Тимур", "Yablonskaya", "207.3", "щербаков", "Łukasz"})
		var list []Summary
		relist := func() {
			var err error
			if list, err = v.ListCases(Filter{}); err != nil {
				rt.Fatal(err)
			}
		}
		relist()
		// Re-import some records with another name: the updates leave
		// their old groups and join the batch's new one.
		if rapid.Bool().Draw(rt, "reimport") {
			b, err := os.ReadFile(path)
			if err != nil {
				rt.Fatal(err)
			}
			lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
			for i := range lines {
				if rapid.Bool().Draw(rt, "rename") {
					doc, err := schema.Parse(lines[i])
					if err != nil {
						rt.Fatal(err)
					}
					doc.Doc["person"].(map[string]any)["name"] = word.Draw(rt, "first") + " " + word.Draw(rt, "last")
					if lines[i], err = json.Marshal(doc.Doc); err != nil {
						rt.Fatal(err)
					}
				}
			}
			p2 := filepath.Join(t.TempDir(), "again.jsonl")
			if err := os.WriteFile(p2, append(bytes.Join(lines, []byte("\n")), '\n'), 0o600); err != nil {
				rt.Fatal(err)
			}
			if _, err := v.Import(context.Background(), p2, ImportOptions{Format: FormatJSONL, BatchBytes: batch}); err != nil {
				rt.Fatal(err)
			}
		}
		edits := rapid.IntRange(0, 4).Draw(rt, "edits")
		for range edits {
			relist()
			switch op := rapid.IntRange(0, 2).Draw(rt, "op"); {
			case op == 0 || len(list) == 0:
				doc := wordsCase(t, fmt.Sprintf("person: {name: %q, region: %q}\nnotes: %q\n",
					word.Draw(rt, "name"), word.Draw(rt, "region"), word.Draw(rt, "note")+" "+word.Draw(rt, "note")))
				if _, err := v.AddCase(doc); err != nil {
					rt.Fatal(err)
				}
			case op == 1:
				s := rapid.SampledFrom(list).Draw(rt, "update")
				id, _ := ParseCaseID(s.ID)
				rev, err := v.Case(id)
				if err != nil {
					rt.Fatal(err)
				}
				doc, err := rev.Case()
				if err != nil {
					rt.Fatal(err)
				}
				doc.Doc["person"].(map[string]any)["name"] = word.Draw(rt, "new name") + " " + word.Draw(rt, "new name")
				doc.Doc["notes"] = word.Draw(rt, "new note")
				if _, err := v.UpdateCase(id, doc); err != nil {
					rt.Fatal(err)
				}
			default:
				s := rapid.SampledFrom(list).Draw(rt, "remove")
				id, _ := ParseCaseID(s.ID)
				if err := v.RemoveCase(id); err != nil {
					rt.Fatal(err)
				}
			}
		}
		queries := []string{word.Draw(rt, "q1"), word.Draw(rt, "q2") + " " + word.Draw(rt, "q3"), "sentenced", "colony",
			strings.ToLower(word.Draw(rt, "q4"))[:3] + "*", `"` + word.Draw(rt, "q5") + " " + word.Draw(rt, "q6") + `"`}
		for _, q := range queries {
			if _, err := index.ParseQuery(q); err != nil {
				continue
			}
			for _, fld := range []string{"", "person.name"} {
				o := SearchOptions{Field: fld}
				for _, f := range []Filter{{}, {Status: "sentenced"}} {
					got, want := searchAnswer(t, v, q, o, f), scanAnswer(t, v, q, o, f)
					if !slices.Equal(got, want) {
						rt.Fatalf("%q field %q filter %+v: index %v, scan %v", q, fld, f, got, want)
					}
				}
			}
		}
		if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
			rt.Fatalf("check: %+v, %v", rep, err)
		}
		indexShape(t, v)
		if !rapid.Bool().Draw(rt, "remove all") {
			return
		}
		relist()
		for _, s := range list {
			id, _ := ParseCaseID(s.ID)
			if err := v.RemoveCase(id); err != nil {
				rt.Fatal(err)
			}
		}
		if singles, groups, _ := indexShape(t, v); groups+singles != 0 {
			rt.Fatalf("%d posting groups and %d single postings left after every case was removed", groups, singles)
		}
	})
}

// check finds a posting group whose case table is gone or whose value is
// damaged, and --repair gives back an index whose answers equal a scan's.
func TestCheckRepairsPostingGroups(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 30, 5)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL, BatchBytes: 12 << 10}); err != nil {
		t.Fatal(err)
	}
	_, groups, tables := indexShape(t, v)
	if tables < 2 || groups == 0 {
		t.Fatalf("import wrote %d groups in %d case tables; the test needs several tables", groups, tables)
	}
	var table, group []byte
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{store.PCaseTable}})
		defer it.Close()
		it.Rewind()
		table = it.Item().KeyCopy(nil)
		git := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pPosting}})
		defer git.Close()
		for git.Rewind(); git.Valid(); git.Next() {
			if t, ok := index.GroupTable(git.Item().Key()); ok && !bytes.Equal(index.TableKey(t), table) {
				group = git.Item().KeyCopy(nil)
				break
			}
		}
		return nil
	})
	if err != nil || group == nil {
		t.Fatalf("no group of another table: %v", err)
	}
	rawUpdate(t, v, func(txn *store.Txn) error {
		if err := txn.Delete(table); err != nil {
			return err
		}
		return txn.Set(group, []byte{0x02, 0x7f, 0x7f, 0x7f}) // positions past its table
	})
	rep := runCheck(t, v, CheckOptions{})
	if len(rep.Problems) == 0 {
		t.Fatal("check found nothing wrong with a missing case table and a damaged group")
	}
	for _, p := range rep.Problems {
		if p.Kind != ProblemIndex || !p.Repairable {
			t.Errorf("problem %+v: want a repairable index problem", p)
		}
	}
	runCheck(t, v, CheckOptions{Repair: true})
	if rep := runCheck(t, v, CheckOptions{}); len(rep.Problems) != 0 {
		t.Fatalf("after --repair: %+v", rep.Problems)
	}
	for _, q := range []string{"colony", "sentenced", "omsk", "Зайцев", "moscow region"} {
		if got, want := searchAnswer(t, v, q, SearchOptions{}, Filter{}), scanAnswer(t, v, q, SearchOptions{}, Filter{}); !slices.Equal(got, want) {
			t.Errorf("%q after --repair: index %v, scan %v", q, got, want)
		}
	}
	if _, _, after := indexShape(t, v); after != tables-1 {
		t.Errorf("%d case tables after --repair, %d before one was deleted", after, tables)
	}
}
