package publish

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// invisibleSamples are characters that must never reach a publication.
var invisibleSamples = []rune{
	'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', // zero-width, soft hyphen
	'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', // embeddings and overrides
	'\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', // isolates and marks
	'\u3164', '\u0007', '\u001b',
}

// TestNoInvisibleCharactersInOutput plants every invisible character in
// every kind of public field and checks all files of all four formats.
func TestNoInvisibleCharactersInOutput(t *testing.T) {
	var planted strings.Builder
	for _, r := range invisibleSamples {
		if r != '\u202e' { // an override reorders what follows: see below
			planted.WriteRune(r)
		}
	}
	inv := planted.String()
	c := loadCase(t, "kara-murza")
	c = setField(t, c, "publication.summary", "Opposition "+inv+"politician, \u202eRLO reversed\u202c text.")
	c = setField(t, c, "person.name", "Vladimir\u200b Kara\u00ad-Murza")
	c = setField(t, c, "proceedings.sentence", "25\u2066 years")
	c = setField(t, c, "detention[0].facility", "SIZO\u200d-5")
	anon := setField(t, loadCase(t, "anonymous"), "publication.summary", "A young\u2067 woman"+inv)
	noInvisible := func(format string, p *Publication) {
		t.Helper()
		for path, b := range p.Files {
			s := string(b)
			if i := strings.IndexFunc(s, invisible); i >= 0 {
				r, _ := utf8.DecodeRuneInString(s[i:])
				t.Errorf("%s %s: carries U+%04X at byte %d", format, path, r, i)
			}
		}
	}
	for _, format := range Formats {
		// Render strips them from whatever set it is given (here records
		// made without the leak scan, which may itself flag them).
		set := &Set{Org: testOrg, Records: []*Record{project(source("km", c)), project(source("anon", anon))}}
		p, err := Build(set, format, testPub(), testSign)
		if err != nil {
			t.Fatal(err)
		}
		noInvisible(format, p)
		out := allText(p)
		for _, want := range []string{"Opposition politician", "Vladimir Kara-Murza", "25 years", "SIZO-5", "A young woman"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: lacks %q once cleaned", format, want)
			}
		}
		// Through Prepare, with --redact: whatever the scan masks, no
		// invisible character reaches the files.
		noInvisible(format, build(t, []Source{source("km", c), source("anon", anon)}, format, Options{K: 1, Redact: true}))
	}
	// Text under a right-to-left override is published in the order it
	// was displayed in, and the scan sees it so.
	for in, want := range map[string]string{
		"Supporters say \u202eyksvonhkahS\u202c matters.": "Supporters say Shakhnovsky matters.",
		"a\u202ecba":   "aabc",
		"x\u202e21\ny": "x12\ny",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	withheld := source("withheld", parseCase(t, "schema: case.v1\nperson:\n  name: Gleb Shakhnovsky\npublication:\n  consent: none\n"))
	rlo := setField(t, loadCase(t, "kara-murza"), "proceedings.appeal", "Supporters say \u202eyksvonhkahS\u202c matters.")
	var le *LeakError
	if _, err := Prepare(testOrg, []Source{source("km", rlo), withheld}, Options{}); !errors.As(err, &le) {
		t.Errorf("a withheld name written backwards under an override: err = %v, want a LeakError", err)
	}
	// Render cleans a set made without Prepare too.
	set := &Set{Org: "Org\u202e", Records: []*Record{{ID: "p1", Name: "A\u200bB", Articles: []string{"x\u2066"}}}}
	files, err := Render(set, "json")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(files["cases.json"]); strings.IndexFunc(s, invisible) >= 0 || !strings.Contains(s, `"AB"`) {
		t.Errorf("Render kept invisible characters: %s", s)
	}
	if set.Records[0].Name != "A\u200bB" {
		t.Error("Render changed the set it was given")
	}
}

// FuzzCleanText: whatever the input, the cleaned text has no invisible
// character, is valid where the input was, and keeps every visible one.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "plain", "Ша\u200bхновский", "\u202eyksvonhkahS\u202c", "a\u00adb", "\ufeffBOM", "x\u2066y\u2069z", "tab\tand\nnewline"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := cleanText(s)
		if strings.IndexFunc(c, invisible) >= 0 {
			t.Fatalf("cleanText(%q) = %q keeps an invisible character", s, c)
		}
		var want strings.Builder
		for _, r := range displayOrder(s) {
			if !invisible(r) {
				want.WriteRune(r)
			}
		}
		if want.String() != c {
			t.Fatalf("cleanText(%q) = %q, want %q", s, c, want.String())
		}
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("cleanText(%q) is not valid UTF-8", s)
		}
	})
}
