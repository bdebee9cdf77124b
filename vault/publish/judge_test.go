package publish

import (
	"strings"
	"testing"
)

// TestJudgeFieldExemptsNoSecret: a secret typed into the judge field of a
// single case (the lawyer's confidential name, a consent-none prisoner's
// name) is a hit there and in the summary; a judge presiding over two of
// our cases is not a leak of another case's confidential contact, but
// never exempts a name withheld by consent (attack 02).
func TestJudgeFieldExemptsNoSecret(t *testing.T) {
	secrets := parseCase(t, `schema: case.v1
person:
  name: Dmitry Savchuk
  contacts:
    - role: lawyer
      name: Ruslan Gaifullin
publication:
  consent: none
`)
	pub := func(judge, summary string) string {
		return "schema: case.v1\nperson:\n  name: Anna Petrova\nproceedings:\n  judge: " + judge +
			"\nstatus: sentenced\npublication:\n  consent: full\n  summary: \"" + summary + "\"\n"
	}
	hits := func(srcs ...Source) int {
		set, err := Prepare(testOrg, srcs, Options{Review: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(set.Hits)
	}
	for _, judge := range []string{"Ruslan Gaifullin", "Dmitry Savchuk"} {
		if n := hits(source("s", secrets), source("p", parseCase(t, pub(judge, "Dmitry Savchuk was arrested with her")))); n < 2 {
			t.Errorf("judge %q once: %d hits, want the judge field and the summary", judge, n)
		}
	}
	// A real judge of two of our cases who shares the lawyer's name: no
	// hit; but the consent-none prisoner's name still is one.
	p1 := source("p1", parseCase(t, pub("Ruslan Gaifullin", "x")))
	p2 := source("p2", parseCase(t, strings.Replace(pub("Ruslan Gaifullin", "y"), "Anna Petrova", "Olga Sidorova", 1)))
	if n := hits(source("s", secrets), p1, p2); n != 0 {
		t.Errorf("a judge of two cases: %d hits, want 0", n)
	}
	q1 := source("q1", parseCase(t, pub("Dmitry Savchuk", "x")))
	q2 := source("q2", parseCase(t, strings.Replace(pub("Dmitry Savchuk", "y"), "Anna Petrova", "Olga Sidorova", 1)))
	if n := hits(source("s", secrets), q1, q2); n < 2 {
		t.Errorf("a withheld prisoner's name as judge of two cases: %d hits", n)
	}
}
