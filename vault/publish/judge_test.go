package publish

import "testing"

// TestJudgeFieldExemptsNoWithheldName: a consent-none prisoner's name
// typed into the judge field of a published case is a hit there and in
// its summary; a judge who shares a confidential contact's full name is
// not (common names coincide; SECURITY.md) (attack 02).
func TestJudgeFieldExemptsNoWithheldName(t *testing.T) {
	secrets := parseCase(t, `schema: case.v1
person:
  name: Dmitry Savchuk
  contacts:
    - role: lawyer
      name: Ruslan Gaifullin
publication:
  consent: none
`)
	pub := func(judge, summary string) Source {
		return source("p", parseCase(t, "schema: case.v1\nperson:\n  name: Anna Petrova\nproceedings:\n  judge: "+judge+
			"\nstatus: sentenced\npublication:\n  consent: full\n  summary: \""+summary+"\"\n"))
	}
	hits := func(p Source) int {
		set, err := Prepare(testOrg, []Source{source("s", secrets), p}, Options{Review: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(set.Hits)
	}
	if n := hits(pub("Dmitry Savchuk", "Dmitry Savchuk was arrested with her")); n < 2 {
		t.Errorf("withheld name as judge: %d hits, want the judge field and the summary", n)
	}
	if n := hits(pub("Dmitry Savchuk", "x")); n < 1 {
		t.Errorf("withheld name as judge: %d hits", n)
	}
	if n := hits(pub("Ruslan Gaifullin", "Judge Ruslan Gaifullin presided.")); n != 0 {
		t.Errorf("a judge named like a confidential lawyer: %d hits, want 0", n)
	}
}
