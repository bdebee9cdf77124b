package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	upstream "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
	"github.com/casevault/casevault/schema/internal/jsonschema"
)

// errorLines is err's text with its lines sorted: upstream lists the
// causes of one failure in map order, which changes from run to run.
func errorLines(err error) string {
	if err == nil {
		return ""
	}
	l := strings.Split(fmt.Sprint(err), "\n")
	slices.Sort(l)
	return strings.Join(l, "\n")
}

// The vendored jsonschema (meta-schemas compiled on first use instead of
// at start-up) validates exactly as upstream v6.0.3: the case model
// compiled by both, generated cases and broken copies of them give the
// same verdict and the same error text (its lines in any order).
func TestVendoredJSONSchemaMatchesUpstream(t *testing.T) {
	const url = "https://casevault.example/case.v1.json"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.SchemaJSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	ours, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	udoc, err := upstream.UnmarshalJSON(bytes.NewReader(schema.SchemaJSON()))
	if err != nil {
		t.Fatal(err)
	}
	uc := upstream.NewCompiler()
	uc.DefaultDraft(upstream.Draft2020)
	if err := uc.AddResource(url, udoc); err != nil {
		t.Fatal(err)
	}
	theirs, err := uc.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	breaks := []func(m map[string]any){
		func(m map[string]any) {},
		func(m map[string]any) { m["status"] = "arrested" },
		func(m map[string]any) { delete(m, "person") },
		func(m map[string]any) { m["unknown_field"] = 1 },
		func(m map[string]any) {
			m["mistreatment"] = []any{map[string]any{"date": "2020-13-45", "kind": []any{"beating", "beating"}}}
		},
		func(m map[string]any) { m["publication"] = map[string]any{"consent": "maybe"} },
		func(m map[string]any) { m["person"] = "a string" },
	}
	g := casegen.New(7)
	invalid := 0
	for i := 0; i < 200; i++ {
		for j, br := range breaks {
			m := g.Case()
			br(m)
			b, _ := json.Marshal(m)
			v1, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			v2, _ := upstream.UnmarshalJSON(bytes.NewReader(b))
			e1, e2 := ours.Validate(v1), theirs.Validate(v2)
			if errorLines(e1) != errorLines(e2) {
				t.Fatalf("case %d break %d: vendored says %v, upstream %v", i, j, e1, e2)
			}
			if e1 != nil {
				invalid++
			}
		}
	}
	if invalid < 200*(len(breaks)-1) {
		t.Fatalf("only %d broken cases refused", invalid)
	}
}
