package schema

import (
	"errors"
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	tpl := string(Template())
	for _, f := range Fields() {
		name := f.Path[strings.LastIndexByte(f.Path, '.')+1:]
		if !strings.Contains(tpl, name+":") {
			t.Errorf("template lacks %s", f.Path)
		}
	}
	for _, want := range []string{"[confidential] Date of birth", "One of: male, female, other, unknown.",
		"solitary-confinement", "transfer-incommunicado", "One of: RU-CC, RU-CAO, other.", "pressure-on-relatives"} {
		if !strings.Contains(tpl, want) {
			t.Errorf("template lacks %q", want)
		}
	}

	// Empty, it misses only person.name.
	_, err := Parse([]byte(tpl))
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0].Path != "person.name" {
		t.Fatalf("Parse(template) = %v, want person.name required", err)
	}

	filled := strings.Replace(tpl, "\n  name:\n", "\n  name: Test Person\n", 1)
	c, err := Parse([]byte(filled))
	if err != nil {
		t.Fatalf("Parse(filled template): %v", err)
	}
	if c.Name() != "Test Person" {
		t.Errorf("Name() = %q", c.Name())
	}

	// The example entries, uncommented, parse too.
	uncommented := strings.NewReplacer("  # - ", "  - ", "  #   ", "    ", "  # person.name:", "  person.name:").Replace(filled)
	uncommented = strings.ReplaceAll(uncommented, "person.name: confidential", "notes: confidential")
	if _, err := Parse([]byte(uncommented)); err != nil {
		t.Errorf("Parse(uncommented template): %v\n%s", err, uncommented)
	}
}
