package publish

import (
	"errors"
	"strings"
	"testing"
)

// TestKAnonymityCountsPeople: the same person entered again (a duplicate,
// or consent-none stubs planted to make a unique case look common, in
// another spelling or script) is one person of the crowd, not three
// (attack 08).
func TestKAnonymityCountsPeople(t *testing.T) {
	me := anonCase(t, "2023-04-28", "2023-09-16", "RU")
	dup1 := crowdCase(t, "Hidden Person", "female", "207.3(2)", "Omsk", "2023-04-28", "2023-09-16", "RU")
	dup2 := crowdCase(t, "HIDDEN  Persson", "female", "207.3(2)", "Omsk", "2023-04-28", "2023-09-16", "RU")
	_, err := anonRecord(t, 3, me, dup1, dup2)
	var ae *AnonymityError
	if !errors.As(err, &ae) || ae.Problems[0].Shared != 1 {
		t.Fatalf("err = %v: duplicates of the same person counted as the crowd", err)
	}
	// Cyrillic stub of the same name, with a patronymic.
	cyr := strings.Replace(dup1, `name: "Hidden Person"`, `name: "Хидден Иванович Персон"`, 1)
	if _, err := anonRecord(t, 3, me, dup1, cyr); !errors.As(err, &ae) {
		t.Fatalf("err = %v: a Cyrillic stub counted as another person", err)
	}
	// Two other people with the same details are a crowd.
	other1 := crowdCase(t, "Vera Kuznetsova", "female", "207.3(2)", "Omsk", "2023-04-03", "2023-09-01", "RU")
	other2 := crowdCase(t, "Oksana Belova", "female", "207.3(2)", "Omsk", "2023-04-20", "2023-09-30", "RU")
	if _, err := anonRecord(t, 3, me, dup1, dup2, other1, other2); err != nil {
		t.Fatalf("three people: %v", err)
	}
	// Namesakes born in different years are two people.
	a := strings.Replace(other1, "gender: female", "gender: female\n  birth_year: 1970", 1)
	b := strings.Replace(other1, "gender: female", "gender: female\n  birth_year: 1990", 1)
	if _, err := anonRecord(t, 3, me, a, b); err != nil {
		t.Fatalf("namesakes of different years: %v", err)
	}
}
