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
