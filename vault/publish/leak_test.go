package publish

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

// nonPublicValues returns every value of a restricted or confidential field
// of c (the fields the scanner must know), by path.
func nonPublicValues(c *schema.Case) map[string]string {
	out := map[string]string{}
	walkLeaves(c.Doc, "", "", func(path, plain, value string) {
		if rolesOf(schema.Default()).skip[plain] || strings.HasPrefix(plain, "sensitivity_overrides.") {
			return
		}
		// A lone role word ("сокамерник") names nobody: not a secret.
		if c.Level(plain) > schema.Public && !(len(tokenize(value)) == 1 && isRoleWord(tokenize(value)[0].stem)) {
			out[path] = value
		}
	})
	return out
}

// publicTargets are public text fields a leak is planted into.
var publicTargets = []string{"publication.summary", "proceedings.appeal", "charges[0].title", "person.occupation", "detention[0].facility"}

// TestLeakEveryField plants the value of every restricted and confidential
// field of the example cases into each public text field, in a sentence,
// and expects a refusal naming the field; with Redact, the value must be
// gone from every file of every format.
func TestLeakEveryField(t *testing.T) {
	cases := map[string]*schema.Case{
		"kara-murza":   loadCase(t, "../../testdata/cases/kara-murza.yaml"),
		"evidence-ids": loadCase(t, "evidence-ids"), // has evidence IDs
		"anonymous":    loadCase(t, "anonymous"),
		"override":     loadCase(t, "override"),
	}
	n := 0
	for name, c := range cases {
		vals := nonPublicValues(c)
		if len(vals) < 3 {
			t.Fatalf("%s: only %d non-public values", name, len(vals))
		}
		for path, value := range vals {
			for _, target := range publicTargets {
				planted := setField(t, c, target, "According to the file, "+value+" matters.")
				srcs := []Source{source(name, planted), source("other", loadCase(t, "kara-murza"))}
				_, err := Prepare(testOrg, srcs, Options{})
				var le *LeakError
				if err == nil {
					// Only acceptable if the target field is not published
					// (anonymised or hidden by an override).
					for _, format := range Formats {
						if out := allText(build(t, srcs, format, Options{})); strings.Contains(out, value) {
							t.Errorf("%s: %s = %q planted in %s: published in %s", name, path, value, target, format)
						}
					}
					continue
				}
				if !errors.As(err, &le) {
					t.Fatalf("%s: %v", name, err)
				}
				n++
				found := false
				for _, h := range le.Hits {
					if h.Case == "c-"+name && (h.Field == path || h.Kind == "personal data" || skeleton(vals[h.Field]) == skeleton(value)) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: %s planted in %s: hits %v do not name the field", name, path, target, le.Hits)
				}
				if target != "publication.summary" {
					continue
				}
				for _, format := range Formats {
					p := build(t, srcs, format, Options{Redact: true})
					if out := allText(p); strings.Contains(out, value) {
						t.Errorf("%s: %s = %q still in %s output with Redact", name, path, value, format)
					}
				}
			}
		}
	}
	t.Logf("%d plantings refused", n)
}

// TestLeakTransliterated: a witness written in Cyrillic leaks in Latin
// letters and the other way round; a single surname of a name is enough.
func TestLeakTransliterated(t *testing.T) {
	anon := loadCase(t, "anonymous") // witness Иванов, perpetrator Дмитрий Козлов
	for _, tc := range []struct{ summary, want string }{
		{"Witness Ivanov saw the beating.", "mistreatment[0].witnesses[0]"},
		{"IVANOV was there.", "mistreatment[0].witnesses[0]"},
		{"Investigator Kozlov threatened her.", "mistreatment[0].perpetrators[0]"},
		{"Investigator Dmitry Kozlov threatened her.", "mistreatment[0].perpetrators[0]"},
		{"Her mother Olga Smirnova speaks for her.", "person.contacts[0].name"},
		{"Her mother Ольга Смирнова spoke.", "person.contacts[0].name"},
		{"Anna Smirnova from Omsk.", "person.name"}, // anonymous: the name is not public
		{"Smirnova was arrested.", "person.name"},   // nor part of it
		{"She lives in Omsk.", "person.region"},     // anonymous: region withheld
		{"Held in SIZO-1, Omsk.", "detention[0].facility"},
	} {
		c := setField(t, anon, "publication.summary", tc.summary)
		_, err := Prepare(testOrg, []Source{source("anonymous", c)}, Options{})
		var le *LeakError
		if !errors.As(err, &le) {
			t.Errorf("%q: not refused (%v)", tc.summary, err)
			continue
		}
		if !slices.ContainsFunc(le.Hits, func(h Hit) bool { return h.Field == tc.want }) {
			t.Errorf("%q: hits %v, want one for %s", tc.summary, le.Hits, tc.want)
		}
	}
	// Latin in the file, Cyrillic in the output.
	km := setField(t, loadCase(t, "kara-murza"), "mistreatment[0].witnesses", []any{"Pyotr Kuznetsov"})
	km = setField(t, km, "publication.summary", "Свидетель Кузнецов.")
	if _, err := Prepare(testOrg, []Source{source("km", km)}, Options{}); err == nil {
		t.Error("Кузнецов not found as Kuznetsov")
	}
}

// TestLeakAcrossCases: a confidential value of one published case in the
// public text of another is refused too.
func TestLeakAcrossCases(t *testing.T) {
	other := setField(t, loadCase(t, "override"), "publication.summary", "Shared a cell with Дмитрий Козлов.")
	_, err := Prepare(testOrg, []Source{source("anonymous", loadCase(t, "anonymous")), source("override", other)}, Options{})
	var le *LeakError
	if !errors.As(err, &le) || le.Hits[0].Case != "c-anonymous" || !strings.HasPrefix(le.Hits[0].Where, source("override", other).PublicID) {
		t.Fatalf("err = %v", err)
	}
}

// TestLeakPatterns: personal-data patterns in public text.
func TestLeakPatterns(t *testing.T) {
	for _, tc := range []struct {
		text, kind string
	}{
		{"Call +7 (912) 345-67-89 for news.", "phone number"},
		{"Call 8 912 345 67 89.", "phone number"},
		{"Call +44 20 7946 0958.", "phone number"},
		{"Write to info@example.org please.", "e-mail address"},
		{"Пишите на почта@пример.рф", "e-mail address"},
		{"Passport 45 06 123456 was seized.", "passport number"},
		{"Passport 4506123456 was seized.", "passport number"},
		{"INN 771234567890.", "ID number"},
		{"SNILS 123-456-789 01.", "ID number"},
	} {
		hits := findPatterns(tc.text, normalize(tc.text))
		if len(hits) != 1 || hits[0].hit.Field != tc.kind {
			t.Errorf("%q: %v, want one %s", tc.text, hits, tc.kind)
		}
	}
	for _, clean := range []string{
		"Sentenced on 2023-04-17 to 25 years under article 207.3(2).",
		"Detained 2022-04-11 - 2023-09-01, case 1-12/2023.",
		"Born in 1981; 3 children; article 20.3.3 part 1.",
		"In custody since 11.04.2022.",
		"Articles 275, 280.3 and 284.1.",
		"He spent 1,500 days in prison.",
	} {
		if hits := findPatterns(clean, normalize(clean)); len(hits) != 0 {
			t.Errorf("%q: false alarm %v", clean, hits)
		}
	}
}

// TestNoFalseAlarms: the fixtures themselves publish cleanly although their
// confidential fields share words with public ones (the prisoner's own
// surname in a relative's name, "SIZO" in a perpetrator's description,
// "lawyer" as a contact's role, first names shared with other prisoners).
func TestNoFalseAlarms(t *testing.T) {
	km := loadCase(t, "../../testdata/cases/kara-murza.yaml")
	km = setField(t, km, "publication.summary", "Vladimir Kara-Murza, held in SIZO-5, spoke through his lawyer; his family campaigned for his release.")
	other := setField(t, loadCase(t, "override"), "mistreatment", []any{map[string]any{"witnesses": []any{"Vladimir Sokolov"}}})
	if _, err := Prepare(testOrg, []Source{source("km", km), source("other", other), source("anon", loadCase(t, "anonymous"))}, Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestRedactReports: masking lists what was masked and keeps the rest.
func TestRedactReports(t *testing.T) {
	c := setField(t, loadCase(t, "anonymous"), "publication.summary", "Witness Ivanov; call +7 912 345-67-89. The rest stays.")
	set, err := Prepare(testOrg, []Source{source("anonymous", c)}, Options{Redact: true})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, h := range set.Masked {
		fields[h.Field] = true
	}
	if !fields["mistreatment[0].witnesses[0]"] || !fields["phone number"] {
		t.Errorf("masked %v, want the witness and the phone number", set.Masked)
	}
	if got, want := set.Records[0].Summary, "Witness [redacted]; call [redacted]. The rest stays."; got != want {
		t.Fatalf("summary %q, want %q", got, want)
	}
}

func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"Иванов", "Ivanov", "IVANOV", "Iwanow"},
		{"Юлия", "Yuliya", "Iuliia", "Julia", "Yulia"},
		{"Ходорковский", "Khodorkovsky", "Hodorkovskiy", "Khodorkovskij"},
		{"Щербаков", "Shcherbakov", "Sherbakov"},
		{"Цветков", "Tsvetkov", "Tzvetkov", "Cvetkov"},
		{"Алёна", "Алена", "Alena", "Але\u0308на"},
		{"Андрей", "Андре\u0438\u0306", "Andrei", "Andrey"},
		{"Александр", "Aleksandr", "Alexandr"},
	}
	for _, group := range same {
		for _, w := range group[1:] {
			if skeleton(w) != skeleton(group[0]) {
				t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q", w, skeleton(w), group[0], skeleton(group[0]))
			}
		}
	}
	if skeleton("Ivan") == skeleton("Ivanov") {
		t.Error("Ivan and Ivanov agree")
	}
}

// TestLeakWithheldNames: the name of a person whose consent is none (or
// anonymous) must not appear on another case's page, also when that case
// is not part of this publication.
func TestLeakWithheldNames(t *testing.T) {
	for _, tc := range []struct{ summary, field string }{
		{"Shared a cell with Boris Hidden.", "person.name"},
		{"Shared a cell with Борис Скрытый.", "person.name_native"},
		{"Shared a cell with Skrytyi.", "person.name_native"},
		{"Knew Gleb Unasked from school.", "person.name"},
		{"Met Anna Smirnova in the SIZO.", "person.name"},
	} {
		km := setField(t, loadCase(t, "kara-murza"), "publication.summary", tc.summary)
		anon := source("anonymous", loadCase(t, "anonymous"))
		anon.Skip = true
		srcs := []Source{source("km", km), source("none", loadCase(t, "none")), source("no-consent", loadCase(t, "no-consent")), anon}
		_, err := Prepare(testOrg, srcs, Options{})
		var le *LeakError
		if !errors.As(err, &le) || !slices.ContainsFunc(le.Hits, func(h Hit) bool { return h.Field == tc.field && h.Kind == "withheld name" }) {
			t.Errorf("%q: err = %v, want a withheld-name hit on %s", tc.summary, err, tc.field)
		}
	}
	// A skipped case with full consent may be named.
	km := setField(t, loadCase(t, "kara-murza"), "publication.summary", "Shared a cell with Igor Baranov.")
	other := source("override", loadCase(t, "override"))
	other.Skip = true
	set, err := Prepare(testOrg, []Source{source("km", km), other}, Options{})
	if err != nil || len(set.Records) != 1 {
		t.Fatalf("%v %v", set, err)
	}
}
