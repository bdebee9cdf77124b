package schema

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const casesDir = "../testdata/cases"

func readCase(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(casesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t *testing.T, data []byte) *Case {
	t.Helper()
	c, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func TestParseKaraMurza(t *testing.T) {
	c := mustParse(t, readCase(t, "kara-murza.yaml"))
	if got := c.Name(); got != "Vladimir Kara-Murza" {
		t.Errorf("Name() = %q", got)
	}
	if got := c.NameNative(); got != "Владимир Кара-Мурза" {
		t.Errorf("NameNative() = %q", got)
	}
	if got := c.Status(); got != "exchanged" {
		t.Errorf("Status() = %q", got)
	}
	person := c.Doc["person"].(map[string]any)
	if got := person["birth_date"]; got != "1981-09-07" {
		t.Errorf("birth_date = %#v, want the string 1981-09-07", got)
	}
	if got := person["birth_year"]; got != float64(1981) {
		t.Errorf("derived birth_year = %#v, want 1981", got)
	}
	charges := c.Doc["charges"].([]any)
	if got := charges[1].(map[string]any)["date"]; got != "2022-08" {
		t.Errorf("charges[1].date = %#v, want the string 2022-08", got)
	}
	// The sample can be added to a new vault: it refers to no evidence.
	if got := c.EvidenceRefs(); len(got) != 0 {
		t.Errorf("EvidenceRefs() = %q, want none", got)
	}
	ev := mustParse(t, []byte("person: {name: X}\nmistreatment:\n  - evidence: [eabcdefghijklmnop, e234567abcdefghij]\n  - evidence: [eabcdefghijklmnop]\n"))
	wantRefs := []string{"e234567abcdefghij", "eabcdefghijklmnop"}
	if got := ev.EvidenceRefs(); !slices.Equal(got, wantRefs) {
		t.Errorf("EvidenceRefs() = %q, want %q", got, wantRefs)
	}
	text := c.SearchText()
	for _, want := range []string{"Vladimir Kara-Murza", "Владимир Кара-Мурза", "Владимир Владимирович Кара-Мурза",
		"Moscow", "politician, journalist", "207.3(2)", "State treason", "IK-6, Omsk region", "Moscow City Court", "exchanged"} {
		if !slices.Contains(text, want) {
			t.Errorf("SearchText() lacks %q", want)
		}
	}
	for _, secret := range []string{"Евгения Кара-Мурза", "сокамерник", "1981-09-07"} {
		if slices.Contains(text, secret) {
			t.Errorf("SearchText() holds %q, which is not to be indexed", secret)
		}
	}
}

func TestYAMLAndJSONAgree(t *testing.T) {
	fromYAML := mustParse(t, readCase(t, "kara-murza.yaml"))
	fromJSON := mustParse(t, readCase(t, "kara-murza.json"))
	if !bytes.Equal(fromYAML.Canonical(), fromJSON.Canonical()) {
		t.Errorf("kara-murza.yaml and kara-murza.json differ:\n%s\n%s", fromYAML.Canonical(), fromJSON.Canonical())
	}
	stored, err := FromJSON(fromYAML.Canonical())
	if err != nil {
		t.Fatalf("FromJSON(Canonical()): %v", err)
	}
	if !bytes.Equal(stored.Canonical(), fromYAML.Canonical()) {
		t.Errorf("FromJSON(Canonical()) does not round-trip")
	}
}

func TestYAMLDatesStayStrings(t *testing.T) {
	c := mustParse(t, []byte("person:\n  name: X\n  birth_date: 2022-04-11\ncharges:\n  - date: 2022-04\n    code: other\n"))
	if got := c.Doc["person"].(map[string]any)["birth_date"]; got != "2022-04-11" {
		t.Errorf("birth_date = %#v (%T), want the string 2022-04-11", got, got)
	}
	// A bare year is a number in YAML; the schema asks for a string, so
	// it is taken as the text written (see TestNumbersAsText).
	y := mustParse(t, []byte("person:\n  name: X\ncharges:\n  - date: 2022\n"))
	if got := y.Doc["charges"].([]any)[0].(map[string]any)["date"]; got != "2022" {
		t.Errorf("charges[0].date = %#v (%T), want the string 2022", got, got)
	}
	if got := c.Doc["charges"].([]any)[0].(map[string]any)["date"]; got != "2022-04" {
		t.Errorf("charges[0].date = %#v (%T), want the string 2022-04", got, got)
	}
}

func TestCanonicalDeterministic(t *testing.T) {
	data := readCase(t, "kara-murza.yaml")
	first := mustParse(t, data).Canonical()
	for range 20 {
		if got := mustParse(t, data).Canonical(); !bytes.Equal(got, first) {
			t.Fatalf("Canonical() differs between parses:\n%s\n%s", first, got)
		}
	}
	if bytes.HasSuffix(first, []byte("\n")) {
		t.Error("Canonical() ends with a newline")
	}
	if !bytes.Contains(first, []byte(`"Владимир Кара-Мурза"`)) {
		t.Error("Canonical() escapes Cyrillic")
	}
	c := mustParse(t, []byte(`{"person": {"name": "A <b> & C", "gender": "male"}, "status": "other"}`))
	want := `{"person":{"gender":"male","name":"A <b> & C"},"schema":"case.v1","status":"other"}`
	if got := string(c.Canonical()); got != want {
		t.Errorf("Canonical() = %s, want %s", got, want)
	}
}

func TestSchemaDefaultAndVersion(t *testing.T) {
	c := mustParse(t, []byte("person: {name: X}\n"))
	if c.Doc["schema"] != Version {
		t.Errorf("schema = %#v, want %q", c.Doc["schema"], Version)
	}
	_, err := Parse([]byte("schema: case.v2\nperson: {name: X}\n"))
	var verr *VersionError
	if !errors.As(err, &verr) {
		t.Fatalf("Parse(case.v2) = %v, want a *VersionError", err)
	}
	const want = `unsupported case schema version "case.v2"; this casevault reads case.v1`
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if _, err := FromJSON([]byte(`{"schema":"case.v2","person":{"name":"X"}}`)); !errors.As(err, &verr) {
		t.Errorf("FromJSON(case.v2) = %v, want a *VersionError", err)
	}
}

func TestParseInvalidUTF8(t *testing.T) {
	data := []byte("person:\n  name: \"Vladimir\"\n  region: \"Mos\xffcow\"\n")
	_, err := Parse(data)
	if !errors.Is(err, ErrNotUTF8) {
		t.Fatalf("Parse = %v, want ErrNotUTF8", err)
	}
	if want := "line 3 (byte offset 41)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if _, err := FromJSON([]byte("{\"person\":{\"name\":\"\xc0\"}}")); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("FromJSON = %v, want ErrNotUTF8", err)
	}
}

func TestParseTooLarge(t *testing.T) {
	data := append([]byte("person: {name: X}\nnotes: \""), bytes.Repeat([]byte("a"), MaxCaseFileSize)...)
	data = append(data, '"', '\n')
	_, err := Parse(data)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse = %v, want ErrTooLarge", err)
	}
	for _, want := range []string{"4194332 bytes", "4194304 bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestParseSyntax(t *testing.T) {
	for name, data := range map[string]string{
		"empty":          "",
		"two documents":  "person: {name: X}\n---\nperson: {name: Y}\n",
		"duplicate key":  "person: {name: X}\nperson: {name: Y}\n",
		"bad yaml":       "person: [name: X\n",
		"infinity":       "person: {name: X, birth_year: .inf}\n",
		"trailing json":  `{"person": {"name": "X"}} {}`,
		"unclosed quote": "person:\n  name: \"X\n",
	} {
		if _, err := Parse([]byte(data)); !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: Parse = %v, want ErrSyntax", name, err)
		}
	}
}

// aliasBomb is a small YAML file whose aliases expand to 10^9 values.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString(strings.Repeat(" ", 0))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseNotMapping(t *testing.T) {
	_, err := Parse([]byte("- a\n- b\n"))
	wantProblem(t, err, "(root)", "type")
}

func TestEmptyFieldsAreAbsent(t *testing.T) {
	c := mustParse(t, []byte("person:\n  name: X\n  gender:\ndetention:\n  - kind: pretrial\n    to:\n"))
	if _, ok := c.Doc["person"].(map[string]any)["gender"]; ok {
		t.Error("empty gender kept")
	}
	if _, ok := c.Doc["detention"].([]any)[0].(map[string]any)["to"]; ok {
		t.Error("empty detention.to kept")
	}
}
