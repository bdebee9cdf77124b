package publish

import (
	"maps"
	"slices"
	"testing"

	"github.com/casevault/casevault/schema"
)

// TestFieldRolesOfDefaultSchema pins the field lists the leak scan takes
// from case.v1.json to the lists it held by hand before the annotations,
// so that moving them into the schema changed nothing.
func TestFieldRolesOfDefaultSchema(t *testing.T) {
	r := rolesOf(schema.Default())
	keys := func(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
	want := map[string][]string{
		"nameLike": {"mistreatment.perpetrators", "mistreatment.witnesses", "person.aliases", "person.contacts.name",
			"person.name", "person.name_native", "proceedings.judge"},
		"personName": {"person.aliases", "person.name", "person.name_native"},
		"address":    {"person.contacts.address"},
		// x-controlled, and every field of an enum: controlled words.
		"skip": {"charges.code", "detention.conditions", "detention.kind", "hearings.kind", "mistreatment.kind", "person.contacts.role",
			"person.gender", "publication.consent", "schema", "sensitivity_overrides", "status"},
		"anonymised": {"detention.facility", "hearings.date", "person.name", "person.name_native", "person.occupation",
			"person.region", "proceedings.court", "proceedings.judge"},
	}
	got := map[string][]string{
		"nameLike": keys(r.nameLike), "personName": keys(r.personName), "address": keys(r.address),
		"skip": keys(r.skip), "anonymised": slices.Sorted(slices.Values(r.anonymised)),
	}
	if !slices.Equal(r.publicNames, []string{"name", "name_native"}) {
		t.Errorf("publicNames = %q", r.publicNames)
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}
