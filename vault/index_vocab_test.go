package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

// randomWords returns n words of 5 to 9 random Latin letters.
func randomWords(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 5+r.IntN(5))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		out[i] = string(b)
	}
	return out
}

// Cases whose notes are long texts of new words (a transcript, a scanned
// register) import, are updated and are removed into a vault whose
// vocabulary is already large: no change rewrites the vocabulary records
// of other words, so none exceeds a transaction (index format 3 kept one
// record per three-letter start and failed here with "transaction too
// big" after about 30 such cases). Prefix queries find the words, and a
// removed case's words leave the vocabulary.
func TestLongNotesOfNewWords(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 3 MB of notes")
	}
	v := newTestVault(t)
	r := rand.New(rand.NewPCG(7, 7))
	gen, err := os.ReadFile(writeGenerated(t, FormatJSONL, 36, 11))
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	var words [][]string
	for _, line := range bytes.Split(bytes.TrimSpace(gen), []byte("\n")) {
		doc, err := schema.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		ws := randomWords(r, 12_000)
		doc.Doc["notes"] = strings.Join(ws, " ")
		b, err := json.Marshal(doc.Doc)
		if err != nil {
			t.Fatal(err)
		}
		lines, words = append(lines, b), append(words, ws)
	}
	path := filepath.Join(t.TempDir(), "long.jsonl")
	if err := os.WriteFile(path, append(bytes.Join(lines, []byte("\n")), '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
	if err != nil {
		t.Fatalf("import of 36 cases with 85 KB notes of new words: %v", err)
	}
	if rep.Added+rep.Conflicts != len(lines) || rep.Added < 30 {
		t.Fatalf("import: %d added, %d conflicts, of %d", rep.Added, rep.Conflicts, len(lines))
	}
	// One more such case, added alone to the large vocabulary, then
	// removed.
	doc, err := schema.Parse(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	last := randomWords(r, 12_000)
	doc.Doc["person"].(map[string]any)["name"] = "Quokka Wallaby"
	doc.Doc["notes"] = strings.Join(last, " ")
	id, err := v.AddCase(doc)
	if err != nil {
		t.Fatalf("case add with an 85 KB note of new words: %v", err)
	}
	vocab := func() int {
		n := 0
		_ = v.view(func(txn *store.Txn) error { n = countPrefix(txn, store.PVocab); return nil })
		return n
	}
	withLast := vocab()
	hit := func(q string) bool {
		return slices.ContainsFunc(searchAnswer(t, v, q, SearchOptions{}, Filter{}), func(s string) bool { return strings.HasPrefix(s, id.String()+" ") })
	}
	if !hit(last[5000][:4]+"*") || !hit(last[11999]) {
		t.Fatalf("the added case is not found by its words %q, %q", last[5000][:4]+"*", last[11999])
	}
	if err := v.RemoveCase(id); err != nil {
		t.Fatalf("case rm: %v", err)
	}
	if hit(last[5000][:4] + "*") {
		t.Fatal("the removed case is still found")
	}
	if n := vocab(); n >= withLast-5000 {
		t.Fatalf("vocabulary records: %d with the removed case, %d after", withLast, n)
	}
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %+v, %v", rep.Problems, err)
	}
}

// A word that comes and goes within one import batch (a record imported
// and then updated in the same file) leaves no vocabulary record, also
// when an earlier process wrote that record: the token cache starts empty
// with each process, so the batch noting the word as new does not mean it
// was never written (found by an attack: "mandarinka" stayed readable
// after its last case lost it).
func TestVocabWordComesAndGoesAfterReopen(t *testing.T) {
	v := newTestVault(t)
	write := func(lines ...string) string {
		p := filepath.Join(t.TempDir(), "cases.jsonl")
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rec := func(ext, name, notes string) string {
		return `{"schema":"case.v1","external_id":"` + ext + `","person":{"name":"` + name + `"},"status":"pretrial","notes":"` + notes + `"}`
	}
	if _, err := v.Import(context.Background(), write(rec("A", "Anna Alpha", "mandarinka common")), ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v)
	f2 := write(rec("A", "Anna Alpha", "common"), rec("B", "Boris Beta", "mandarinka other"), rec("B", "Boris Beta", "other"))
	if _, err := v.Import(context.Background(), f2, ImportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	if got := searchAnswer(t, v, "mandar*", SearchOptions{}, Filter{}); len(got) != 0 {
		t.Fatalf("mandar* finds %v", got)
	}
	if got, _ := v.vocabularyOf(t, "mandarinka"); got {
		t.Fatal("the vocabulary still holds mandarinka, which no case holds")
	}
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %+v, %v", rep.Problems, err)
	}
}

// vocabularyOf reports whether the vocabulary holds a record for the
// token of word.
func (v *Vault) vocabularyOf(t testing.TB, word string) (bool, error) {
	t.Helper()
	q, err := index.ParseQuery(word)
	if err != nil || len(q.Terms) != 1 {
		t.Fatalf("%s: %+v, %v", word, q, err)
	}
	k, ok := index.VocabKey(v.keys.index, q.Terms[0])
	if !ok {
		t.Fatalf("%s: no vocabulary key", word)
	}
	found := false
	err = v.view(func(txn *store.Txn) error {
		_, err := txn.Get(k)
		found = err == nil
		return nil
	})
	return found, err
}

// A case with some 20,000 distinct words (a 100,000-character note and
// long sources), each a posting and a vocabulary record, is added, has
// most of its note replaced and is removed, each in one transaction (the
// casevault of index format 3 could add it; with one vocabulary record a
// word its removal needed twice the entries, more than a 16 MiB memtable
// allows: found by an attack). A case far larger is refused as
// ErrChangeTooLarge with nothing written.
func TestCaseWithManyWords(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 170,000 words")
	}
	v := newTestVault(t)
	r := rand.New(rand.NewPCG(3, 3))
	sources := func(n int) []any {
		var src []any
		for range n {
			src = append(src, strings.Join(randomWords(r, 220), " "))
		}
		return src
	}
	doc := func(name string, note []string, src []any) *schema.Case {
		d := testCase(t, name, "Иван", "pretrial")
		d.Doc["notes"] = strings.Join(note, " ")
		d.Doc["sources"] = src
		return d
	}
	note, src := randomWords(r, 12_000), sources(32)
	id, err := v.AddCase(doc("Ivan Mnogoslov", note, src))
	if err != nil {
		t.Fatalf("case add with about 20,000 distinct words: %v", err)
	}
	if _, err := v.UpdateCase(id, doc("Ivan Mnogoslov", append(note[:4_500:4_500], randomWords(r, 7_000)...), src)); err != nil {
		t.Fatalf("case update replacing 7,500 of its words by 7,000 others: %v", err)
	}
	if err := v.RemoveCase(id); err != nil {
		t.Fatalf("case rm of a case with about 20,000 distinct words: %v", err)
	}
	if n := vocabCount(t, v); n != 0 {
		t.Fatalf("%d vocabulary records left after the only case was removed", n)
	}
	_, err = v.AddCase(doc("Pyotr Mnogoslov", note, sources(500)))
	if !errors.Is(err, ErrChangeTooLarge) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("case add with 130,000 distinct words: %v, want ErrChangeTooLarge", err)
	}
	if list, err := v.ListCases(Filter{}); err != nil || len(list) != 0 {
		t.Fatalf("after the refused add: %d cases, %v", len(list), err)
	}
	if rep, err := v.Check(context.Background(), CheckOptions{}); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %+v, %v", rep.Problems, err)
	}
}

// vocabCount is the number of vocabulary records of v.
func vocabCount(t testing.TB, v *Vault) int {
	t.Helper()
	n := 0
	if err := v.view(func(txn *store.Txn) error { n = countPrefix(txn, store.PVocab); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// An import (whose store is opened for bulk writing) takes a record as
// large as `case add` does: a case of some 19,000 distinct words between
// two ordinary ones, so that an export of a vault holding such a case
// imports whole (found by an attack: the import stopped at it with "change
// too large", with 16 MiB memtables for imports).
func TestImportCaseWithManyWords(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 19,000 words")
	}
	v := newTestVault(t)
	dir := v.Dir()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	bulk, err := Open(dir, Unlock{Passphrase: func() ([]byte, error) { return bytes.Clone(testPass), nil }}, Options{Author: "tester", BulkWrite: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bulk.Close()
	r := rand.New(rand.NewPCG(5, 5))
	var src []string
	for range 32 {
		src = append(src, strings.Join(randomWords(r, 220), " "))
	}
	big, err := json.Marshal(map[string]any{"schema": "case.v1", "external_id": "big", "person": map[string]any{"name": "Ivan Mnogoslov"},
		"status": "pretrial", "notes": strings.Join(randomWords(r, 12_000), " "), "sources": src})
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"schema":"case.v1","external_id":"a","person":{"name":"Anna Alpha"},"status":"pretrial"}`,
		string(big),
		`{"schema":"case.v1","external_id":"b","person":{"name":"Boris Beta"},"status":"pretrial"}`,
	}
	path := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := bulk.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
	if err != nil || rep.Added != 3 {
		t.Fatalf("import of a 19,000-word case between two others: %+v, %v", rep, err)
	}
	if got := searchAnswer(t, bulk, "mnogoslov", SearchOptions{}, Filter{}); len(got) != 1 {
		t.Fatalf("mnogoslov finds %v", got)
	}
}
