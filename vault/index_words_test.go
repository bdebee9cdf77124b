package vault

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
)

func wordsCase(t testing.TB, y string) *schema.Case {
	t.Helper()
	doc, err := schema.Parse([]byte("schema: case.v1\n" + y))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// inVocabulary reports whether the vocabulary holds the token of word.
func inVocabulary(t *testing.T, v *Vault, word string) bool {
	t.Helper()
	tok := index.Tokens(word)[0]
	start, _ := index.VocabStartOf(tok)
	var toks []string
	if err := v.view(func(txn *store.Txn) error {
		var err error
		toks, err = v.vocabulary(txn, start)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return slices.Contains(toks, tok)
}

// TestSearchWordsFieldsPrefixesPhrases: what a lawyer types finds the
// case in any script and word form, in any field, with evidence notes,
// prefixes and phrases; --field narrows; results name the field.
func TestSearchWordsFieldsPrefixesPhrases(t *testing.T) {
	v := newTestVault(t)
	a, err := v.AddCase(wordsCase(t, `
person: {name: Glеb Shakhnovsky, name_native: Глеб Шахновский, region: Omsk region,
  contacts: [{role: relative, name: Марина Зайцева}]}
status: sentenced
charges: [{code: RU-CC, article: "207.3(2)"}]
mistreatment: [{date: 2023-02-01, kind: [beating], description: "избит сотрудниками в штрафном изоляторе", witnesses: [Рустам Хайруллин]}]
proceedings: {judge: Воронцова Е.А.}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.AddCase(wordsCase(t, `
person: {name: Anna Kuznetsova, name_native: Анна Кузнецова, region: Voronezh region}
status: pretrial
notes: "в изоляторе не был; штрафном порядке"
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddEvidence(context.Background(), b, strings.NewReader("scan"), EvidenceInput{Name: "protocol.pdf", Note: "протокол обыска у Зелимхана", CollectedBy: "адвокат Орлова"}); err != nil {
		t.Fatal(err)
	}
	A, B := a.String(), b.String()
	for _, tc := range []struct {
		q     string
		want  []string
		field string // expected field of the single hit
	}{
		{"омск", []string{A}, "person.region"},
		{"kuznetsova", []string{B}, ""},
		{"Kouznetsova", []string{B}, ""},
		{"Кузнецовой", []string{B}, ""},
		{"Зайцеву", []string{A}, "person.contacts.name"},
		{"Zaitseva", []string{A}, ""},
		{"хайруллина", []string{A}, "mistreatment.witnesses"},
		{"ворон*", []string{A, B}, ""},
		{"voronc*", []string{A}, "proceedings.judge"},
		{"207.3", []string{A}, "charges.article"},
		{"Зелимхан", []string{B}, "evidence.note"},
		{"орловой", []string{B}, "evidence.collected_by"},
		{"изоляторе штрафном", []string{A, B}, ""},
		{`"в штрафном изоляторе"`, []string{A}, "mistreatment.description"},
		{`"изоляторе в штрафном"`, nil, ""},
		{"глеб шахновский", []string{A}, ""},
		{"sentenced", []string{A}, "status"},
	} {
		ids, fields := searchIDs(t, v, tc.q, SearchOptions{})
		slices.Sort(ids)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("%s: found %v, want %v", tc.q, ids, want)
			continue
		}
		if tc.field != "" && (len(fields) != 1 || !slices.Contains(fields[0], tc.field)) {
			t.Errorf("%s: fields %v, want %s", tc.q, fields, tc.field)
		}
	}
	// --field narrows: the region, not the judge.
	if ids, f := searchIDs(t, v, "ворон*", SearchOptions{Field: "person.region"}); !slices.Equal(ids, []string{B}) || !slices.Equal(f[0], []string{"person.region"}) {
		t.Errorf("ворон* in person.region: %v %v", ids, f)
	}
	if ids, _ := searchIDs(t, v, "изоляторе", SearchOptions{Field: "mistreatment[].description"}); !slices.Equal(ids, []string{A}) {
		t.Errorf("изоляторе in mistreatment[].description: %v", ids)
	}
	if ids, _ := searchIDs(t, v, `"в штрафном изоляторе"`, SearchOptions{Field: "notes"}); len(ids) != 0 {
		t.Errorf("phrase in notes: %v", ids)
	}
	var ue *UnknownFieldError
	if err := v.SearchCases(context.Background(), "x", Filter{}, SearchOptions{Field: "mistreatment.descripton"}, nil); !errors.As(err, &ue) || !slices.Contains(ue.Close, "mistreatment.description") || !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown field: %v", err)
	}
	if err := v.SearchCases(context.Background(), "во*", Filter{}, SearchOptions{}, nil); !errors.Is(err, index.ErrShortPrefix) || !errors.Is(err, ErrInvalid) {
		t.Errorf("short prefix: %v", err)
	}
	// Limit and offset page through the hits in a fixed order.
	all, _ := searchIDs(t, v, "ворон*", SearchOptions{})
	var page []string
	_ = v.SearchCases(context.Background(), "ворон*", Filter{Offset: 1, Limit: 1}, SearchOptions{}, func(h Hit) error {
		page = append(page, h.ID)
		return nil
	})
	if !slices.Equal(page, all[1:2]) {
		t.Errorf("offset 1 limit 1: %v of %v", page, all)
	}

	// An update drops the words it removes from the postings and, when
	// no other case holds them, from the vocabulary.
	if !inVocabulary(t, v, "Хайруллин") {
		t.Fatal("Хайруллин is not in the vocabulary")
	}
	if _, err := v.UpdateCase(a, wordsCase(t, "person: {name: Gleb Shakhnovsky}\nstatus: sentenced\n")); err != nil {
		t.Fatal(err)
	}
	if ids, _ := searchIDs(t, v, "хайруллин", SearchOptions{}); len(ids) != 0 || inVocabulary(t, v, "Хайруллин") {
		t.Errorf("a word the update removed is still found (%v) or in the vocabulary", ids)
	}
	// Removing evidence removes its words.
	list, _ := v.EvidenceList(b)
	e, _ := ParseEvidenceID(list[0].ID)
	if err := v.RemoveEvidence(e); err != nil {
		t.Fatal(err)
	}
	if ids, _ := searchIDs(t, v, "зелимхан", SearchOptions{}); len(ids) != 0 || inVocabulary(t, v, "Зелимхан") {
		t.Errorf("removed evidence's note still found (%v) or in the vocabulary", ids)
	}
	// Purge and removal leave none of the case's words readable.
	if !inVocabulary(t, v, "Кузнецова") || !inVocabulary(t, v, "Шахновский") {
		t.Fatal("names missing from the vocabulary")
	}
	if _, err := v.Purge(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if inVocabulary(t, v, "Кузнецова") || inVocabulary(t, v, "Voronezh") {
		t.Error("a purged case's words stay in the vocabulary")
	}
	if !inVocabulary(t, v, "Шахновский") {
		t.Error("purge dropped another case's words")
	}
	if err := v.RemoveCase(a); err != nil {
		t.Fatal(err)
	}
	if inVocabulary(t, v, "Шахновский") {
		t.Error("a removed case's words stay in the vocabulary")
	}
	var n int
	_ = v.view(func(txn *store.Txn) error {
		n = countPrefix(txn, store.PVocab) + countPrefix(txn, pPosting)
		return nil
	})
	if n != 0 {
		t.Errorf("%d vocabulary records and postings left with no case", n)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
}

// TestVocabularyAfterPurge: a word of a purged case, added again later by
// another case, is in the vocabulary again (the open vault does not
// remember it as present).
func TestVocabularyAfterPurge(t *testing.T) {
	v := newTestVault(t)
	a, err := v.AddCase(wordsCase(t, "person: {name: Zebulon Voronezhsky}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddCase(wordsCase(t, "person: {name: Other}\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Purge(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if inVocabulary(t, v, "Voronezhsky") {
		t.Fatal("a purged case's word is in the vocabulary")
	}
	if _, err := v.AddCase(wordsCase(t, "person: {name: Zebulon Voronezhsky}\n")); err != nil {
		t.Fatal(err)
	}
	if ids, _ := searchIDs(t, v, "voronezh*", SearchOptions{}); len(ids) != 1 {
		t.Fatalf("voronezh* found %v after the word came back", ids)
	}
}
