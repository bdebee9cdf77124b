package schema

import (
	"bytes"
	_ "embed"
)

// PublicSchemaURL is the $id of the JSON Schema of published cases.
const PublicSchemaURL = "https://casevault.example/schema/public.v1.json"

//go:embed public.v1.json
var publicSchemaJSON []byte

// PublicSchemaJSON returns the JSON Schema (draft 2020-12) of the JSON
// format of publications (cases.json), version public.v1, which a partner
// site can validate a publication against.
func PublicSchemaJSON() []byte {
	return bytes.Clone(publicSchemaJSON)
}
