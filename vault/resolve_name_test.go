package vault

import (
	"errors"
	"testing"
)

// A case is found by --name only through one of its person names, word
// for word on folded skeletons: never through another field (a judge's
// name) nor a different word form ("Petrov" is not "Petrova").
func TestResolveCaseNameExact(t *testing.T) {
	v := newTestVault(t)
	ivan := addCaseText(t, v, "schema: case.v1\nperson:\n  name: Ivan Petrov\n  name_native: Иван Петров\n")
	maria := addCaseText(t, v, "schema: case.v1\nperson:\n  name: Maria Petrova\n  aliases: [Masha Petrova]\n")
	addCaseText(t, v, "schema: case.v1\nperson:\n  name: Oleg Sidorov\nproceedings:\n  judge: Sergei Volkov\n")

	for _, tc := range []struct {
		name string
		want CaseID
	}{
		{"Ivan Petrov", ivan},
		{"IVAN   petrov", ivan},
		{"Иван Петров", ivan},
		{"ИВАН ПЕТРОВ", ivan},
		{"Maria Petrova", maria},
		{"Мария Петрова", maria},
		{"Masha Petrova", maria},
	} {
		got, err := v.ResolveCaseName(tc.name)
		if err != nil || got != tc.want {
			t.Errorf("ResolveCaseName(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, name := range []string{
		"Sergei Volkov",  // a judge in another case
		"Maria Petrov",   // another word form
		"Ivana Petrova",  // not in the vault
		"Petrov",         // one word of a name
		"Petrov Ivan",    // words in another order
		"Ivan Petrov Jr", // more words
		"Petrov*",        // search syntax
		"",               // nothing
	} {
		got, err := v.ResolveCaseName(name)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("ResolveCaseName(%q) = %v, %v; want not found", name, got, err)
		}
	}
}

func TestResolveCaseNameAmbiguous(t *testing.T) {
	v := newTestVault(t)
	a := addCaseText(t, v, "schema: case.v1\nperson:\n  name: Anna Sidorova\n")
	b := addCaseText(t, v, "schema: case.v1\nperson:\n  name: Anna Sidorova\n  region: Omsk\n")
	addCaseText(t, v, "schema: case.v1\nperson:\n  name: Anna Sidorov\n")
	_, err := v.ResolveCaseName("anna sidorova")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
		t.Fatalf("err = %v; want ambiguous between 2", err)
	}
	got := map[string]bool{amb.Candidates[0].ID: true, amb.Candidates[1].ID: true}
	if !got[a.String()] || !got[b.String()] {
		t.Errorf("candidates %v; want %s and %s", amb.Candidates, a, b)
	}
}
