package publish

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const ownCase = `schema: case.v1
person:
  name: "Gleb Shakhnovsky"
  name_native: "Глеб Шахновский"
  gender: male
charges:
  - code: RU-CC
    article: "207.3(2)"
    title: "Spreading false information"
proceedings:
  judge: "Pavel Orlov"
status: pretrial
publication:
  consent: full
  summary: "SUMMARY"
`

const otherCase = `schema: case.v1
person:
  name: "Someone Else"
  contacts:
    - role: lawyer
      name: "Глеб Шахновский"
    - role: relative
      name: "Pavel Orlov"
mistreatment:
  - date: 2023-01-01
    kind: [threats]
    witnesses: ["майор Дмитрий Савчук"]
publication:
  consent: none
`

func ownSources(t *testing.T, summary string) []Source {
	own := parseCase(t, strings.Replace(ownCase, "SUMMARY", summary, 1))
	return []Source{source("own", own), source("other", parseCase(t, otherCase))}
}

// TestOwnNameNeverALeak: the prisoner's own consented name, in any
// spelling, and the case's public judge are not leaks even when another
// case holds the same name as a confidential value; --redact leaves them.
func TestOwnNameNeverALeak(t *testing.T) {
	for _, summary := range []string{
		"Gleb Shakhnovsky, a teacher, was detained.",
		"Глеба Шахновского задержали.",
		"Schachnowski's trial; judge Pavel Orlov presides.",
		"SHAKHNOVSKY awaits trial.",
	} {
		srcs := ownSources(t, summary)
		set, err := Prepare(testOrg, srcs, Options{})
		if err != nil {
			t.Errorf("%q: %v", summary, err)
			continue
		}
		set, err = Prepare(testOrg, srcs, Options{Redact: true})
		if err != nil || len(set.Masked) != 0 || set.Records[0].Summary != summary || set.Records[0].Name != "Gleb Shakhnovsky" {
			t.Errorf("%q: redact changed it: %v %v", summary, err, set.Masked)
		}
	}
	// Someone else's secret next to the own name is still found, and
	// masking leaves the name.
	srcs := ownSources(t, "Gleb Shakhnovsky was beaten by Savchuk.")
	set, err := Prepare(testOrg, srcs, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Records[0].Summary; got != "Gleb Shakhnovsky was beaten by "+Mask+"." {
		t.Errorf("masked summary %q", got)
	}
}

// TestHitStrengthAndSource: a full name and a surname alone are reported
// with their strength and where the secret came from.
func TestHitStrengthAndSource(t *testing.T) {
	for _, tc := range []struct{ summary, strength string }{
		{"Beaten by Dmitry Savchuk.", "full name"},
		{"Beaten by Savchuk.", "surname only"},
		{"Beaten by майором Савчуком.", "surname only"},
	} {
		_, err := Prepare(testOrg, ownSources(t, tc.summary), Options{})
		var le *LeakError
		if !errors.As(err, &le) || len(le.Hits) != 1 {
			t.Errorf("%q: %v", tc.summary, err)
			continue
		}
		h := le.Hits[0]
		if h.Strength != tc.strength || h.Case != "c-other" || h.Field != "mistreatment[0].witnesses[0]" || h.Org != "" || h.In != "c-own" {
			t.Errorf("%q: hit %+v, want %s from c-other", tc.summary, h, tc.strength)
		}
		if !strings.Contains(h.Context, "»") || !strings.Contains(h.Why(), tc.strength[:4]) {
			t.Errorf("%q: context %q, why %q", tc.summary, h.Context, h.Why())
		}
	}
}

// TestPartnerSecretsScope: a partner's restricted values bind only that
// partner's cases: they do not censor our own cases, and every hit names
// the partner.
func TestPartnerSecretsScope(t *testing.T) {
	ours := parseCase(t, strings.Replace(ownCase, "SUMMARY", "Represented by Anna Kovaleva.", 1))
	partner := parseCase(t, `schema: case.v1
person:
  name: "Partner Prisoner"
  aliases: ["Gleb Shakhnovsky"]
  contacts:
    - role: lawyer
      name: "Anna Kovaleva"
publication:
  consent: full
  summary: "Defended by Anna Kovaleva."
`)
	p := source("partner", partner)
	p.Origin, p.Named = "Partner Group", true
	partners := Options{Partners: []string{"Partner Group"}}
	// Our case is not censored by the partner's secrets (its own name is
	// the partner's alias; the lawyer is the partner's confidential one).
	if _, err := Prepare(testOrg, []Source{source("ours", ours), {CaseID: p.CaseID, PublicID: p.PublicID, Case: p.Case, Origin: p.Origin, Skip: true}}, Options{}); err != nil {
		t.Errorf("our case censored by a partner's secret: %v", err)
	}
	// The partner's own case is.
	_, err := Prepare(testOrg, []Source{p}, partners)
	var le *LeakError
	if !errors.As(err, &le) || le.Hits[0].Org != "Partner Group" || !strings.Contains(le.Error(), `from partner "Partner Group"`) {
		t.Errorf("partner case: %v", err)
	}
	// Our secrets bind the partner's cases.
	oursSecret := parseCase(t, otherCase)
	p.Case = parseCase(t, strings.Replace(`schema: case.v1
person:
  name: "Partner Prisoner"
publication:
  consent: full
  summary: "S"
`, `"S"`, `"Beaten by Savchuk."`, 1))
	if _, err := Prepare(testOrg, []Source{p, source("secret", oursSecret)}, partners); !errors.As(err, &le) || le.Hits[0].Org != "" {
		t.Errorf("our secret in a partner's case: %v", err)
	}
}

// TestReviewAndAllow: Review reports every hit with a stable ID and
// publishes nothing; allowing an ID lets exactly that hit through; a change
// of the text gives a new ID.
func TestReviewAndAllow(t *testing.T) {
	srcs := ownSources(t, "Beaten by Savchuk; witness Глеб Шахновский's lawyer.")
	set, err := Prepare(testOrg, srcs, Options{Review: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Hits) != 1 || set.Hits[0].Strength != "surname only" {
		t.Fatalf("review hits %v", set.Hits)
	}
	id := set.Hits[0].ID
	again, _ := Prepare(testOrg, ownSources(t, "Beaten by Savchuk; witness Глеб Шахновский's lawyer."), Options{Review: true})
	if again.Hits[0].ID != id {
		t.Errorf("ID not stable: %s, %s", id, again.Hits[0].ID)
	}
	set, err = Prepare(testOrg, srcs, Options{Allow: map[string]bool{id: true}})
	if err != nil || len(set.Allowed) != 1 || !strings.Contains(set.Records[0].Summary, "Savchuk") {
		t.Fatalf("allowed: %v %v", err, set)
	}
	changed := ownSources(t, "Beaten by Savchuk and by Savchuk's deputy.")
	_, err = Prepare(testOrg, changed, Options{Allow: map[string]bool{id: true}})
	var le *LeakError
	if !errors.As(err, &le) || slices.ContainsFunc(le.Hits, func(h Hit) bool { return h.ID == id }) {
		t.Errorf("changed text: %v", err)
	}
	// A different secret text, same output: a new ID.
	other := strings.Replace(otherCase, "майор Дмитрий Савчук", "капитан Дмитрий Савчук", 1)
	s2 := []Source{srcs[0], source("other", parseCase(t, other))}
	if set, _ := Prepare(testOrg, s2, Options{Review: true}); len(set.Hits) == 0 || set.Hits[0].ID == id {
		t.Errorf("changed secret kept the ID: %v", set.Hits)
	}
}

// TestShortSurnames: a short surname written in capitals is a name, not an
// acronym; an institution acronym is not a name.
func TestShortSurnames(t *testing.T) {
	other := strings.Replace(otherCase, "майор Дмитрий Савчук", "Виктор Цой", 1)
	other = strings.Replace(other, `name: "Pavel Orlov"`, `name: "Ким"`, 1)
	for _, summary := range []string{"TSOI testified.", "Witness KIM spoke.", "Цою угрожали."} {
		own := parseCase(t, strings.Replace(ownCase, "SUMMARY", summary, 1))
		if _, err := Prepare(testOrg, []Source{source("own", own), source("other", parseCase(t, other))}, Options{}); err == nil {
			t.Errorf("%q: not refused", summary)
		}
	}
	sizo := strings.Replace(otherCase, "майор Дмитрий Савчук", "SIZO", 1)
	own := parseCase(t, strings.Replace(ownCase, "SUMMARY", "Held in SIZO-1.", 1))
	if _, err := Prepare(testOrg, []Source{source("own", own), source("other", parseCase(t, sizo))}, Options{}); err != nil {
		t.Errorf("an acronym as a witness: %v", err)
	}
}
