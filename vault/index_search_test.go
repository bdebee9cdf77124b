package vault

import "testing"

func TestSearchDecomposedCyrillic(t *testing.T) {
	_, v := coreInit(t, true)
	coreAdd(t, v, "person:\n  name: Andrei Pivovarov\n  name_native: \"Андре\u0438\u0306 Пивоваров\"\n")
	for _, q := range []string{"андрей", "АНДРЕЙ", "Андре\u0438\u0306"} {
		got, err := v.Search(q)
		if err != nil || coreNames(got) != "Andrei Pivovarov" {
			t.Errorf("Search(%q) = %q, %v", q, coreNames(got), err)
		}
	}
}

// TestSearchShortNameForms: a name of two letters typed in the nominative
// finds the cases that name it in another case form, through the real
// index (postings of both tokens) and in a quoted phrase (checked against
// the case's text); Юлия still does not find an address's ул.
func TestSearchShortNameForms(t *testing.T) {
	_, v := coreInit(t, true)
	coreAdd(t, v, "person:\n  name: Kim Yan\n  name_native: Ким Ян\n")
	coreAdd(t, v, "person:\n  name: Oleg Pak\nnotes: показания дал Ким Яну в СИЗО\n")
	coreAdd(t, v, "person:\n  name: Irina Li\nnotes: \"адрес: ул. Ленина, 5\"\n")
	for q, want := range map[string]string{
		"Ян":        "Kim Yan,Oleg Pak",
		"Yan":       "Kim Yan,Oleg Pak",
		`"Ким Ян"`:  "Kim Yan,Oleg Pak",
		"Яну":       "Oleg Pak",
		"Юлия":      "",
		"ул Ленина": "Irina Li",
	} {
		got, err := v.Search(q)
		if err != nil || coreNames(got) != want {
			t.Errorf("Search(%q) = %q, %v; want %q", q, coreNames(got), err, want)
		}
	}
}
