package bulk

import (
	"strings"
	"testing"

	"github.com/casevault/casevault/schema"
)

func personCase(name, birth string) *schema.Case {
	p := map[string]any{"name": name}
	if birth != "" {
		p["birth_date"] = birth
	}
	return schema.Default().NewCase(map[string]any{"person": p})
}

func TestPersonConflict(t *testing.T) {
	for _, tc := range []struct {
		stored, rec    string
		sBirth, rBirth string
		conflict       bool
		reason         string
	}{
		{"Ivan Petrov", "IVAN  PETROV", "1980-01-01", "1980-01-01", false, ""},
		{"Ivan Petrov", "Иван Петров", "", "1980-01-01", false, ""},
		{"Ivan Petrov", "Ivan Petrov", "1980-01-01", "", false, ""},
		{"Ivan Petrov", "Olga Sokolova", "1980-01-01", "1990-05-05", true, "names Ivan Petrov in this vault, not Olga Sokolova"},
		{"Maria Petrova", "Maria Petrov", "", "", true, "not Maria Petrov"},
		{"Ivan Petrov", "Ivan Petrov", "1980-01-01", "1981-01-01", true, "born 1980-01-01 in this vault, not born 1981-01-01"},
	} {
		got := PersonConflict(personCase(tc.stored, tc.sBirth), personCase(tc.rec, tc.rBirth))
		if (got != "") != tc.conflict || !strings.Contains(got, tc.reason) {
			t.Errorf("PersonConflict(%q %s, %q %s) = %q; want conflict=%v containing %q", tc.stored, tc.sBirth, tc.rec, tc.rBirth, got, tc.conflict, tc.reason)
		}
	}
}

// Without a birth date, a region or native name that both records give and
// that differs is another person (two Ivan Ivanovs, Omsk and Kazan); with
// the same birth date on both the region may change (a move).
func TestPersonConflictWithoutBirthDate(t *testing.T) {
	mk := func(region, native, birth string) *schema.Case {
		p := map[string]any{"name": "Ivan Ivanov"}
		for k, v := range map[string]string{"region": region, "name_native": native, "birth_date": birth} {
			if v != "" {
				p[k] = v
			}
		}
		return schema.Default().NewCase(map[string]any{"person": p})
	}
	for _, tc := range []struct {
		a, b     *schema.Case
		conflict bool
	}{
		{mk("Omsk", "", ""), mk("Kazan", "", ""), true},
		{mk("Omsk", "", "1980-01-01"), mk("Kazan", "", ""), true},
		{mk("", "Иван Иванов", ""), mk("", "Іван Іваненко", ""), true},
		{mk("Omsk", "", ""), mk("OMSK", "", ""), false},
		{mk("Omsk", "", ""), withExt(mk("Kazan", "", ""), "row-7"), false},
		{mk("Omsk", "", ""), mk("", "", ""), false},
		{mk("Omsk", "", "1980-01-01"), mk("Kazan", "", "1980-01-01"), false},
	} {
		got := PersonConflict(tc.a, tc.b)
		if (got != "") != tc.conflict {
			t.Errorf("PersonConflict(%v, %v) = %q; want conflict %v", tc.a.Doc["person"], tc.b.Doc["person"], got, tc.conflict)
		}
	}
}

func withExt(c *schema.Case, ext string) *schema.Case {
	c.Doc["external_id"] = ext
	return c
}
