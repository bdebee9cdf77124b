// Package schema defines the casevault case file, version case.v1.
//
// A case file is YAML or JSON. Its shape is the JSON Schema in case.v1.json
// (see [SchemaJSON]), which also gives every field a default sensitivity
// level: [Public], [Restricted] or [Confidential]. [Parse] reads a file a
// user wrote, [FromJSON] reads a document the vault stored, and both return
// a validated [Case]. A case may raise the level of its fields in
// sensitivity_overrides; [Case.Level] and [Case.Filter] apply them.
//
// The package knows nothing of the vault, of encryption or of the command
// line.
package schema
