package vault

import (
	"slices"
	"strings"
	"testing"
)

// A vault whose index is of format 4, where a stem cut to one or two
// letters was the token of a word of two letters (Юлия and "ul." were
// both ul), is rebuilt at its first read-write open: Юлия then finds the
// case of Юлия Цой and the two contacts named Юлия, not the 30 cases with
// "ul." in an address, as opening every case answers too; the declined and transliterated forms
// still find her, and "ul" still finds the addresses.
func TestFormat4IndexRebuilds(t *testing.T) {
	const yulia = "cu352d2etfga7ewqd"
	before, _ := migrateFixture(t, "testdata/vault-format4", []fixtureQuery{
		{"Юлия", ""}, {"Юлию", ""}, {"Yuliya", ""}, {"юли*", ""}, {"Цой", ""}, {"Tsoi", ""}, {"Цою", ""},
		{"ul", ""}, {"Анна", ""}, {"Анной", ""}, {"an", ""}, {"Ленина", "notes"},
	})
	// Two generated cases have a contact named Юлия.
	wantYulia := []string{"ca4wnoltvzd5tsfue person.contacts.name", "cs6tdjoj5nyogxba6 person.contacts.name", yulia + " person.name,person.name_native"}
	for _, q := range []string{"Юлия|", "Юлию|", "Yuliya|"} {
		if got := before[q]; !slices.Equal(got, wantYulia) {
			t.Errorf("%s finds %v, want %v", strings.TrimSuffix(q, "|"), got, wantYulia)
		}
	}
	for _, q := range []string{"Цой|", "Tsoi|", "Цою|"} {
		if got := before[q]; len(got) != 1 || !strings.HasPrefix(got[0], yulia+" ") {
			t.Errorf("%s finds %v, want only the case of Юлия Цой (%s)", strings.TrimSuffix(q, "|"), got, yulia)
		}
	}
	if got := before["юли*|"]; !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, yulia+" ") }) || len(got) > 5 {
		t.Errorf("юли* finds %v, want the case of Юлия Цой and no address", got)
	}
	if got := before["ul|"]; len(got) < 20 {
		t.Errorf("ul finds %d cases, want the ~30 with ul. in an address", len(got))
	}
	for _, q := range []string{"Анна|", "Анной|"} {
		if got := before[q]; !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, yulia+" ") }) || len(got) >= 19 {
			t.Errorf("%s finds %d cases (%v): want the note naming Анна, and not the 19 the format 4 index found", q, len(got), got)
		}
	}
	t.Logf("Анна: %v; an: %d cases; ul: %d cases", before["Анна|"], len(before["an|"]), len(before["ul|"]))
}
