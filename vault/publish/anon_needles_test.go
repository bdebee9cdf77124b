package publish

import (
	"strings"
	"testing"
)

const crimeanAnon = `schema: case.v1
person:
  name: Server Mustafayev
  birth_date: 1986-02-04
  gender: male
  citizenship: [RU]
  region: Republic of Crimea
charges:
  - code: RU-CC
    article: 205.5(2)
detention:
  - kind: pretrial
    facility: SIZO-1 Simferopol
    from: 2018-05-21
proceedings:
  verdict_date: 2020-09-16
status: sentenced
publication:
  consent: anonymous
  summary: "x"
`

// TestAnonymousOwnDetailsInText: an anonymous case's own birth date (in
// any form, also once cut to the month), birth year, age, region and
// facility town written in its own text are hits; other dates written in
// English word order or with ordinals are cut to the month (attack 09).
func TestAnonymousOwnDetailsInText(t *testing.T) {
	for _, text := range []string{
		"Born 04.02.1986.", "Born 4 February 1986.", "Born 1986-II-04.", "born in 1986", "aged 34 at the verdict", "a 33 year old journalist",
		"Detained in Crimea", "A Crimean Tatar", "Held in Simferopol", "Держали в Симферополе",
	} {
		c := setField(t, parseCase(t, crimeanAnon), "publication.summary", text)
		set, err := Prepare(testOrg, []Source{source("me", c)}, Options{K: 1, Review: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Hits) == 0 {
			t.Errorf("%q: no hit in the anonymous case's own summary", text)
		}
	}
	// A consent-full case may say all of it.
	full := strings.Replace(crimeanAnon, "consent: anonymous", "consent: full", 1)
	c := setField(t, parseCase(t, full), "publication.summary", "Born in 1986 in Crimea, held in Simferopol, aged 34.")
	set, err := Prepare(testOrg, []Source{source("me", c)}, Options{K: 1, Review: true})
	if err != nil || len(set.Hits) != 0 {
		t.Errorf("consent full: err %v, hits %v", err, set.Hits)
	}

	c = setField(t, parseCase(t, crimeanAnon), "publication.summary",
		"Detained on the 21st of May 2018, sentenced on September 16, 2020 (September 16th, 2020; 16.IX.2020; 2020-IX-16; 20200916).")
	set, err = Prepare(testOrg, []Source{source("me", c)}, Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := set.Records[0].Summary
	if want := "Detained on the 2018-05, sentenced on 2020-09 (2020-09; 2020-09; 2020-09; 2020-09)."; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}
