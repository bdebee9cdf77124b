package schema

import (
	"errors"
	"strings"
	"testing"
)

// TestNumbersAsText checks that numbers and booleans written unquoted
// where the schema wants text are taken as the text the user wrote,
// character for character.
func TestNumbersAsText(t *testing.T) {
	c := mustParse(t, []byte(`person:
  name: X
  birth_date: 1999
  aliases: [007, 12.50]
charges:
  - article: 275
  - article: 207.30
    date: 2022
  - article: 0x1F
proceedings:
  case_number: 1_000
  sentence: true
notes: 3.14159265358979323846264338327950288
`))
	want := map[string]string{
		"person.birth_date":       "1999",
		"person.aliases[0]":       "007",
		"person.aliases[1]":       "12.50",
		"charges[0].article":      "275",
		"charges[1].article":      "207.30",
		"charges[1].date":         "2022",
		"charges[2].article":      "0x1F",
		"proceedings.case_number": "1_000",
		"proceedings.sentence":    "true",
		"notes":                   "3.14159265358979323846264338327950288",
	}
	for path, w := range want {
		if got := valueAt(c.Doc, pathTokens(path)); got != w {
			t.Errorf("%s = %#v (%T), want the text %q", path, got, got, w)
		}
	}
	// birth_year is still derived from the year written as a number.
	if got := c.Doc["person"].(map[string]any)["birth_year"]; got != float64(1999) {
		t.Errorf("birth_year = %#v, want 1999", got)
	}
	// A number where the schema wants a number stays a number.
	c = mustParse(t, []byte("person: {name: X, birth_year: 1999}\n"))
	if got := c.Doc["person"].(map[string]any)["birth_year"]; got != float64(1999) {
		t.Errorf("birth_year = %#v (%T), want the number 1999", got, got)
	}
}

// TestNumbersAsTextInvalid checks that a number whose text breaks the
// field's rule is reported by that rule (quoting would not help), and that
// the value of a confidential field is still not quoted.
func TestNumbersAsTextInvalid(t *testing.T) {
	_, err := Parse([]byte("person: {name: X, birth_date: 19990}\n"))
	p := wantProblem(t, err, "person.birth_date", "pattern")
	if strings.Contains(p.Message, "19990") {
		t.Errorf("message quotes a confidential value: %q", p.Message)
	}
	_, err = Parse([]byte("person: {name: X, gender: 1}\n"))
	p = wantProblem(t, err, "person.gender", "enum")
	if !strings.Contains(p.Message, `got "1"`) {
		t.Errorf("message = %q", p.Message)
	}
}

// TestQuoteHint checks the hint of a number the parser cannot take as
// text: one behind an alias in YAML, and any in JSON documents (import
// records, bundles), which keep their types.
func TestQuoteHint(t *testing.T) {
	_, err := Parse([]byte("x: &n 275\nperson: {name: X}\ncharges: [{article: *n}]\n"))
	if err == nil {
		t.Fatal("no error")
	}
	// x is an unknown field; the article behind the alias is reported.
	p := wantProblem(t, err, "charges[0].article", "type")
	if want := `must be text (got a number); text that looks like a number or true/false goes in quotes: article: "275"`; p.Message != want {
		t.Errorf("message = %q, want %q", p.Message, want)
	}
	_, err = FromJSON([]byte(`{"person":{"name":"X","birth_date":1999,"aliases":[12]},"notes":false}`))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v", err)
	}
	for path, want := range map[string]string{
		"person.birth_date": `goes in quotes: birth_date: "…"`, // confidential: not quoted
		"person.aliases[0]": `goes in quotes: aliases: ["…"]`,  // restricted
		"notes":             `goes in quotes: notes: "…"`,
	} {
		p := wantProblem(t, err, path, "type")
		if !strings.HasSuffix(p.Message, want) {
			t.Errorf("%s: message %q, want it to end in %q", path, p.Message, want)
		}
	}
}

// pathTokens splits a user path such as charges[1].article into JSON
// pointer tokens.
func pathTokens(path string) []string {
	var out []string
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		out = append(out, name)
		for rest != "" {
			i, r, _ := strings.Cut(rest, "]")
			out = append(out, i)
			rest = strings.TrimPrefix(r, "[")
		}
	}
	return out
}
