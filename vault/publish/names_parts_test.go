package publish

import "testing"

// TestSurnameFormsSearchedAlone: a surname in -ovich (Zhdanovich) is not a
// patronymic when it ends the name, and the parts of a double-barrelled
// surname are searched for (attacks 03, 04).
func TestSurnameFormsSearchedAlone(t *testing.T) {
	secrets := parseCase(t, `schema: case.v1
person:
  name: Dmitry Savchuk
  contacts:
    - role: relative
      name: Olena Kovalchuk-Drozd
mistreatment:
  - date: 2022-04-01
    kind: [beating]
    perpetrators: ["major Igor Zhdanovich", "Пётр Иванович Сидоренко"]
publication:
  consent: none
`)
	for text, want := range map[string]bool{
		"Zhdanovich was on duty": true, "майор Жданович": true, "Igor Zhdanovich": true,
		"Olena Kovalchuk said": true, "Kovalchuk said": true, "Drozd said": true, "Олена Ковальчук said": true,
		"Сидоренко": true, "Ivanovich was kind": false,
	} {
		c := parseCase(t, "schema: case.v1\nperson:\n  name: Anna Petrova\npublication:\n  consent: full\n  summary: \""+text+"\"\n")
		set, err := Prepare(testOrg, []Source{source("s", secrets), source("p", c)}, Options{Review: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(set.Hits) > 0; got != want {
			t.Errorf("%q: hit %v, want %v (%v)", text, got, want, set.Hits)
		}
	}
}

// TestCommonWordSurnames: a short secret surname that is also a common
// word (Zima, Moroz, Volk) is not a hit as a lower-case word of running
// text; capitalised, or with the given name, it is (attack 11).
func TestCommonWordSurnames(t *testing.T) {
	secrets := parseCase(t, `schema: case.v1
person:
  name: Dmitry Savchuk
  contacts:
    - role: relative
      name: Anna Zima
    - role: lawyer
      name: Ivan Moroz
publication:
  consent: none
`)
	for text, want := range map[string]bool{
		"зима была холодной, мороз": false, "a cold winter (zima) and moroz": false,
		"Moroz was there": true, "ivan moroz": true, "Зима сказала": true,
	} {
		c := parseCase(t, "schema: case.v1\nperson:\n  name: Anna Petrova\npublication:\n  consent: full\n  summary: \""+text+"\"\n")
		set, err := Prepare(testOrg, []Source{source("s", secrets), source("p", c)}, Options{Review: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(set.Hits) > 0; got != want {
			t.Errorf("%q: hit %v, want %v (%v)", text, got, want, set.Hits)
		}
	}
}
