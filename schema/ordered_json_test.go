package schema

import (
	"reflect"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestOrderedJSONMatchesYAML: the schema's ordered decoding gives the same
// tree (key order, value types) as the YAML decoder it replaced, on the
// embedded schema and on a small document with every kind of value
// (exponents aside, which YAML reads as text and the schema does not use).
func TestOrderedJSONMatchesYAML(t *testing.T) {
	docs := [][]byte{
		schemaJSON,
		[]byte(`{"b":1,"a":[1,-2,3.5,"x",true,false,null,{"z":{},"y":[]}],"c":{"k":"v","j":18446744073709551615}}`),
	}
	for i, data := range docs {
		var want yaml.MapSlice
		if err := yaml.UnmarshalWithOptions(data, &want, yaml.UseOrderedMap()); err != nil {
			t.Fatal(err)
		}
		got, err := orderedJSON(data)
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("doc %d: ordered JSON differs from YAML:\n got %#v\nwant %#v", i, got, want)
		}
	}
	for _, bad := range []string{`[]`, `{"a":1} {}`, `{"a":`, `{"a":1,}`} {
		if _, err := orderedJSON([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
