package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/evidence"
)

func TestTokens(t *testing.T) {
	same := [][]string{
		{"Омск", "Omsk", "OMSK", "омске"},
		{"Кузнецова", "Kuznetsova", "Kouznetsova", "Kuznecova", "кузнецовой"},
		{"Фёдор", "Федор", "Fyodor", "Fedor"},
		{"Андрей", "Andrei", "Andrey", "Andrej", "Андре\u0438\u0306"}, // й typed decomposed (NFD)
		{"Зайцев", "Зайцева", "Зайцеву", "Зайцевым", "Zaitsev", "Zaytseva", "Zajcev"},
		{"Шевченко", "Шевченка", "Шевченку", "Shevchenko"},
	}
	for _, group := range same {
		want := Tokens(group[0])
		for _, w := range group[1:] {
			if got := Tokens(w); !slices.Equal(got, want) {
				t.Errorf("Tokens(%q) = %q, Tokens(%q) = %q", w, got, group[0], want)
			}
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"207.3(2) 284.1", "207.3 2 284.1"},
		{"v.2 3. .4 1.2.3", "v 2 3 4 1.2.3"},
		{"  -- ! ", ""},
	} {
		if got := strings.Join(Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A hyphenated name: its parts, and the parts written together.
	if got := Tokens("Кара-Мурза"); len(got) != 3 || !slices.Equal(got[2:], Tokens("Karamurza")) {
		t.Errorf("Tokens(Кара-Мурза) = %q", got)
	}
	if slices.Equal(Tokens("Orlov"), Tokens("Orel")) || slices.Equal(Tokens("Ivan"), Tokens("Ivanov")) {
		t.Error("different names share a token")
	}
}

func TestCaseTokensFields(t *testing.T) {
	doc, err := schema.Parse([]byte(`
schema: case.v1
person: {name: Ivan Petrov, contacts: [{role: relative, name: Марина Зайцева}]}
status: sentenced
mistreatment: [{date: 2023-02-01, kind: [beating], witnesses: [сокамерник Рустам Хайруллин], description: били дубинками в ШИЗО}]
sensitivity_overrides: {person.name: confidential}
`))
	if err != nil {
		t.Fatal(err)
	}
	tf := CaseTokens(doc, []evidence.Meta{{Name: "scan.pdf", Note: "письмо из колонии", CollectedBy: "адвокат Орлова"}})
	for word, path := range map[string]string{
		"Zaitseva": "person.contacts.name", "Хайруллину": "mistreatment.witnesses", "дубинками": "mistreatment.description",
		"колонии": FieldEvidenceNote, "orlova": FieldEvidenceCollectedBy, "confidential": "sensitivity_overrides", "2023": "mistreatment.date",
	} {
		n, _ := FieldNumber(path)
		if fs, ok := tf[Tokens(word)[0]]; !ok || !fs.Has(n) {
			t.Errorf("%q: fields %v, want %s", word, fs.Paths(), path)
		}
	}
	if _, ok := tf[StatusToken("sentenced")]; !ok {
		t.Error("the status token is missing")
	}
	if _, ok := tf[Tokens("case")[0]]; ok {
		t.Error("the format marker schema: case.v1 is indexed")
	}
	if len(FieldPaths()) > maxFields {
		t.Fatalf("%d fields do not fit a FieldSet", len(FieldPaths()))
	}
	if n, ok := FieldNumber("charges[].article"); !ok || FieldPaths()[n] != "charges.article" {
		t.Error("charges[].article is not charges.article")
	}
}
