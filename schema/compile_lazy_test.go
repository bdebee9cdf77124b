package schema

import "testing"

// TestEmbeddedSchemaCompiles: the embedded schema's validator is compiled
// on first use, not when it is loaded, so a schema that does not compile
// would only show at the first validation; this compiles it here, and
// checks that a copy given to Load is compiled at once (its error reported
// by Load).
func TestEmbeddedSchemaCompiles(t *testing.T) {
	if _, err := compileModel(Default().doc); err != nil {
		t.Fatalf("embedded schema does not compile: %v", err)
	}
	if Default().compiled() == nil {
		t.Fatal("no validator for the embedded schema")
	}
	bad := []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"type":"nonsense","x-sensitivity":"public","description":"a field"}}}`)
	if _, err := Load(bad); err == nil {
		t.Fatal("Load accepted a schema that does not compile")
	}
}

// The schema above fails only in compiling (its field list reads), so the
// test above fails if Load stops compiling.
func TestLazyCompileBadSchemaReadsFields(t *testing.T) {
	bad := []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"type":"nonsense","x-sensitivity":"public","description":"a field"}}}`)
	if _, err := loadModel(bad); err != nil {
		t.Fatalf("loadModel: %v", err)
	}
}
