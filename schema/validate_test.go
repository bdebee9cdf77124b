package schema

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wantProblem fails unless err is a *ValidationError with a problem at path
// breaking rule.
func wantProblem(t *testing.T, err error, path, rule string) Problem {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v, want a *ValidationError", err)
	}
	for _, p := range verr.Problems {
		if p.Path == path && p.Rule == rule {
			return p
		}
	}
	t.Fatalf("no problem %s %s in:\n%v", path, rule, err)
	return Problem{}
}

// TestInvalidCases checks that each file in testdata/cases/invalid gives
// exactly the problems its "# want: PATH RULE" lines name.
func TestInvalidCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(casesDir, "invalid", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid cases: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				if w, ok := strings.CutPrefix(sc.Text(), "# want: "); ok {
					want = append(want, w)
				}
			}
			_, err = Parse(data)
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Parse = %v, want a *ValidationError", err)
			}
			var got []string
			for _, p := range verr.Problems {
				got = append(got, p.Path+" "+p.Rule)
				if p.Message == "" || p.Message != strings.ToLower(p.Message[:1])+p.Message[1:] {
					t.Errorf("message %q is empty or capitalised", p.Message)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s\nerror:\n%v", strings.Join(got, "\n  "), strings.Join(want, "\n  "), err)
			}
		})
	}
}

func TestProblemMessages(t *testing.T) {
	for _, tc := range []struct {
		yaml, path, rule, message string
	}{
		{"person: {name: X, birth_date: 1981-13-01}", "person.birth_date", "pattern",
			`must match YYYY, YYYY-MM or YYYY-MM-DD (value not shown: confidential field)`},
		{"person: {name: X, citizenship: [ru]}\nsensitivity_overrides: {person.citizenship: restricted}", "person.citizenship[0]", "pattern",
			`must be an ISO 3166 alpha-2 country code in capitals, like RU (value not shown: restricted field)`},
		{"person: {name: X, gender: mael}\nsensitivity_overrides: {person: confidential}", "person.gender", "enum",
			`must be one of: male, female, other, unknown (value not shown: confidential field; did you mean "male"?)`},
		{"person: {name: X}\npublication: {consent: ful}", "publication.consent", "enum",
			`must be one of: full, anonymous, none (value not shown: restricted field; did you mean "full"?)`},
		{"person: {name: X, birth_date: 1981-09-07, birth_year: 1980}", "person.birth_year", "consistency",
			`is 1980 but the year of person.birth_date differs`},
		{"persn: {name: X}\nperson: {name: X}", "persn", "additionalProperties",
			`unknown field "persn"; did you mean "person"?`},
		{"person: {name: X, gender: mael}", "person.gender", "enum",
			`must be one of: male, female, other, unknown (got "mael"; did you mean "male"?)`},
		{"person: {name: X, citizenship: [ru]}", "person.citizenship[0]", "pattern",
			`must be an ISO 3166 alpha-2 country code in capitals, like RU (got "ru")`},
		{"person: {name: X}\nstatus: [released]", "status", "type",
			`must be text (got a list)`},
		{"person: {name: ''}", "person.name", "minLength", `must not be empty`},
		{"person: {name: X, birth_date: 1981-09-07}\nsensitivity_overrides: {person.birth_date: restricted}",
			"sensitivity_overrides.person.birth_date", "override-lowers",
			`would lower person.birth_date from confidential to restricted; overrides may only raise a level`},
		{"person: {name: X}\nsensitivity_overrides: {Person.Name: confidential}",
			"sensitivity_overrides.Person.Name", "pattern", `must be a field path like person.name (got "Person.Name")`},
		{"person: {name: X}\nsensitivity_overrides: {person.name: secret}",
			"sensitivity_overrides.person.name", "enum", `must be one of: public, restricted, confidential (got "secret")`},
		{"person: {name: X, birth_year: 999}", "person.birth_year", "minimum", `must be at least 1000 (got 999)`},
		{"person: {name: X, citizenship: [RU, RU]}", "person.citizenship", "uniqueItems",
			`lists the same value twice (entries 0 and 1)`},
		{"schema: 2\nperson: {name: X}", "schema", "const", `must be "case.v1" (got "2")`},
	} {
		_, err := Parse([]byte(tc.yaml))
		p := wantProblem(t, err, tc.path, tc.rule)
		if p.Message != tc.message {
			t.Errorf("%s: message %q, want %q", tc.path, p.Message, tc.message)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse([]byte("person: {name: X, birth_date: 1981-13-01}\n"))
	const want = "case file is invalid:\n  person.birth_date: must match YYYY, YYYY-MM or YYYY-MM-DD (value not shown: confidential field)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// TestErrorsHideNonPublicValues checks that no validation message quotes
// the value of a restricted or confidential field: messages reach
// terminals, logs and CI output.
func TestErrorsHideNonPublicValues(t *testing.T) {
	for _, doc := range []string{
		"person: {name: X, birth_date: 1981-13-77}",
		"person: {name: X, birth_date: 1977-09-07, birth_year: 1980}",
		"person: {name: X, gender: f77male}\nsensitivity_overrides: {person.gender: restricted}",
		"person: {name: X, citizenship: [r77]}\nsensitivity_overrides: {person: confidential}",
		"person: {name: X, birth_year: 777}\nsensitivity_overrides: {person.birth_year: confidential}",
	} {
		_, err := Parse([]byte(doc))
		if err == nil {
			t.Fatalf("%q: no error", doc)
		}
		if strings.Contains(err.Error(), "77") {
			t.Errorf("%q: error quotes a non-public value: %v", doc, err)
		}
	}
}

func TestDates(t *testing.T) {
	for date, ok := range map[string]bool{
		"1981": true, "1981-09": true, "1981-09-07": true, "2024-02-29": true, "2000-02-29": true,
		"2023-04-30": true, "2023-12-31": true,
		"1981-13-01": false, "1981-00": false, "1981-09-00": false, "1981-09-31": false, "2023-02-29": false,
		"1900-02-29": false, "1981-9-7": false, "81-09-07": false, "1981-09-07T10:00": false, "": false,
		"1981/09/07": false, "0981": false, "１９８１": false,
	} {
		_, err := Parse([]byte(fmt.Sprintf("person: {name: X, birth_date: %q}", date)))
		if (err == nil) != ok {
			t.Errorf("birth_date %q: err = %v, want ok=%v", date, err, ok)
		}
	}
}

func TestMaxLength(t *testing.T) {
	long := strings.Repeat("я", 10001)
	_, err := Parse([]byte("person: {name: X}\npublication: {summary: " + long + "}"))
	p := wantProblem(t, err, "publication.summary", "maxLength")
	if want := "is too long: 10001 characters, at most 10000 are allowed"; p.Message != want {
		t.Errorf("message %q, want %q", p.Message, want)
	}
	if strings.Contains(err.Error(), long[:200]) {
		t.Error("error repeats the whole text")
	}
	if _, err := Parse([]byte("person: {name: X}\npublication: {summary: " + long[:20000] + "}")); err != nil {
		t.Errorf("10000 Cyrillic characters rejected: %v", err)
	}
}

func TestProblemsSorted(t *testing.T) {
	var b strings.Builder
	b.WriteString("person: {name: X}\ncharges:\n")
	for i := range 12 {
		fmt.Fprintf(&b, "  - {code: %s}\n", map[bool]string{true: "bad", false: "other"}[i == 2 || i == 10])
	}
	_, err := Parse([]byte(b.String()))
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 2 {
		t.Fatalf("error = %v", err)
	}
	if verr.Problems[0].Path != "charges[2].code" || verr.Problems[1].Path != "charges[10].code" {
		t.Errorf("problems out of order: %v", verr.Problems)
	}
}
