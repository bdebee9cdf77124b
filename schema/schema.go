package schema

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/casevault/casevault/schema/internal/jsonschema"
	"github.com/goccy/go-yaml"
)

// Version is the case file format this package reads and writes.
const Version = "case.v1"

// schemaURL is the $id of the embedded schema.
const schemaURL = "https://casevault.example/schema/case.v1.json"

//go:embed case.v1.json
var schemaJSON []byte

// SchemaJSON returns the JSON Schema of case files, version case.v1.
func SchemaJSON() []byte {
	return bytes.Clone(schemaJSON)
}

// A FieldInfo describes one field of a case file.
type FieldInfo struct {
	// Path is the dotted path of the field without array indices, such as
	// "person.name" or "mistreatment.description".
	Path string
	// Level is the default sensitivity level of the field.
	Level Level
	// Description says what the field holds.
	Description string
	// Search says the field's text goes into the search index
	// (x-search: true).
	Search bool
	// CSV is the column of the field in CSV import and export files
	// (x-csv), or nil.
	CSV *CSVColumn
	// Identifying is the kind of person-identifying data the field holds
	// (x-identifying): [PersonName], [OtherName], [Contact], [Address],
	// [Place], [BirthDate]; "" for none.
	Identifying string
	// Controlled says the field's values are controlled words or field
	// paths, never data about anyone (x-controlled: true): the leak scan
	// does not search for them.
	Controlled bool
	// Public says how the field goes into a publication (x-public), or nil
	// for a field that no publication carries.
	Public *PublicField
	// Unpublished says the field is public but no publication carries it
	// (x-public: false), such as the court's case number.
	Unpublished bool
}

// Classes of x-identifying.
const (
	PersonName = "person-name" // names the case's person; withheld unless consent is full
	OtherName  = "name"        // names someone else: a contact, witness, official
	Contact    = "contact"     // a phone number or e-mail address
	Address    = "address"     // a postal address: street and number
	Place      = "place"       // where the person is: region, facility
	BirthDate  = "birth-date"  // the date of birth
)

// A CSVColumn is the column of a field in CSV import and export files.
type CSVColumn struct {
	// Column is the header of the column.
	Column string `json:"column"`
	// Path is the field, with "[]" after a list of objects whose entries
	// the column holds one value of each, as in "charges[].article".
	Path string `json:"-"`
	// Sep separates the values of a list in a cell: "|" between entries,
	// "|;" for entries of values separated by ";"; "" for a single value.
	Sep string `json:"sep,omitempty"`
	// Help says what the column takes, for the import template.
	Help string `json:"help,omitempty"`
	// After names the column this one follows, where it is not the
	// schema's order; "" keeps the schema's order.
	After string `json:"after,omitempty"`
}

// A PublicField says how a public field goes into a publication record.
type PublicField struct {
	// Path is the field of the case.
	Path string `json:"-"`
	// Record is the field of the publication record (public.v1.json)
	// that carries it.
	Record string `json:"record"`
	// Anonymise says what an anonymous publication does with it: "drop"
	// (left out, and its value searched for in the case's own output;
	// names everywhere), "omit" (left out, free text not searched for),
	// "month" (cut to year and month), "district" (replaced by the
	// federal district), "age" (left out; the leak scan looks for the age
	// it gives), "pseudonym" (replaced by a pseudonym; searched for
	// everywhere), "coarsen" (kept, with the details that point to the
	// person coarsened), or "" (kept as it is).
	Anonymise string `json:"anonymise,omitempty"`
}

// A field is what the package knows of one field from the schema.
type field struct {
	FieldInfo
	shape    shape    // what kind of value the field holds
	enum     []string // allowed values of the field or of its items
	hint     string   // what the pattern of the field or of its items means
	required bool
	depth    int // 0 for top-level fields
}

type shape int

const (
	shapeValue   shape = iota // a string, number or boolean
	shapeObject               // an object with known fields
	shapeObjects              // an array of objects with known fields
	shapeValues               // an array of values
	shapeMap                  // an object with free-form keys
)

// A Schema is what the package derived from a case schema: the embedded
// case.v1.json ([Default]) or a copy given to [Load].
type Schema struct {
	// compiled is the validator, compiled on its first use: reading the
	// field list (every search and list) does not need it, and compiling
	// cost each such command about 10 ms of CPU (issue 14).
	compiled func() *jsonschema.Schema
	doc      any // the schema as decoded by jsonschema, for JSON pointers
	fields   []field
	byPath   map[string]*field
}

// theModel is the embedded schema, compiled on first use (not at start-up:
// issue 14).
var theModel = sync.OnceValue(mustLoadModel)

// Default returns the embedded case.v1 schema.
func Default() *Schema { return theModel() }

// Load reads a case schema in the format of case.v1.json, with its x-
// annotations, for tests that change the schema (a copy with a new field).
// A copy is compiled at once, so that Load reports a schema that does not
// compile.
func Load(schemaJSON []byte) (*Schema, error) {
	m, err := loadModel(schemaJSON)
	if err != nil {
		return nil, err
	}
	compiled, err := compileModel(m.doc)
	if err != nil {
		return nil, err
	}
	m.compiled = func() *jsonschema.Schema { return compiled }
	return m, nil
}

// mustLoadModel loads the embedded schema; its validator is compiled on
// first use (TestEmbeddedSchemaCompiles checks that it compiles).
func mustLoadModel() *Schema {
	m, err := loadModel(schemaJSON)
	if err != nil {
		panic("schema: embedded case.v1.json: " + err.Error())
	}
	doc := m.doc
	m.compiled = sync.OnceValue(func() *jsonschema.Schema {
		compiled, err := compileModel(doc)
		if err != nil {
			panic("schema: embedded case.v1.json: " + err.Error())
		}
		return compiled
	})
	return m
}

// compileModel compiles the decoded schema doc into its validator.
func compileModel(doc any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}

// loadModel reads the field list of a schema; the caller sets compiled.
func loadModel(data []byte) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}

	// The walk over fields needs the schema's key order, which
	// jsonschema's decoding does not keep.
	ordered, err := orderedJSON(data)
	if err != nil {
		return nil, err
	}
	m := &Schema{doc: doc, byPath: map[string]*field{}}
	defs, _ := get(ordered, "$defs").(yaml.MapSlice)
	if err := m.walk(ordered, defs, "", "", 0); err != nil {
		return nil, err
	}
	for i := range m.fields {
		m.byPath[m.fields[i].Path] = &m.fields[i]
	}
	return m, nil
}

// walk appends the fields declared in the properties of obj, and of their
// children, to m.fields.
func (m *Schema) walk(obj, defs yaml.MapSlice, prefix, csvPrefix string, depth int) error {
	props, _ := get(obj, "properties").(yaml.MapSlice)
	required := map[string]bool{}
	if r, ok := get(obj, "required").([]any); ok {
		for _, name := range r {
			required[fmt.Sprint(name)] = true
		}
	}
	for _, item := range props {
		name := fmt.Sprint(item.Key)
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		csvPath := name
		if csvPrefix != "" {
			csvPath = csvPrefix + "." + name
		}
		prop, ok := item.Value.(yaml.MapSlice)
		if !ok {
			return fmt.Errorf("%s: property is not an object", path)
		}
		levelName, _ := get(prop, "x-sensitivity").(string)
		level, err := ParseLevel(levelName)
		if err != nil {
			return fmt.Errorf("%s: x-sensitivity: %w", path, err)
		}
		desc, _ := get(prop, "description").(string)
		if desc == "" {
			return fmt.Errorf("%s: no description", path)
		}
		f := field{
			FieldInfo: FieldInfo{Path: path, Level: level, Description: desc},
			required:  required[name],
			depth:     depth,
		}
		if err := f.annotate(prop, csvPath); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		prop = resolve(prop, defs)
		var children yaml.MapSlice
		switch get(prop, "type") {
		case "object":
			if get(prop, "properties") != nil {
				f.shape, children = shapeObject, prop
			} else {
				f.shape = shapeMap
			}
		case "array":
			items, _ := get(prop, "items").(yaml.MapSlice)
			items = resolve(items, defs)
			if get(items, "type") == "object" {
				f.shape, children = shapeObjects, items
				csvPath += "[]"
			} else {
				f.shape = shapeValues
				f.enum, f.hint = enumAndHint(items)
			}
		default:
			f.enum, f.hint = enumAndHint(prop)
		}
		m.fields = append(m.fields, f)
		if children != nil {
			if err := m.walk(children, defs, path, csvPath, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolve merges the local definition that s refers to with $ref, if any,
// into a copy of s; the keys of s win.
func resolve(s, defs yaml.MapSlice) yaml.MapSlice {
	ref, ok := get(s, "$ref").(string)
	if !ok {
		return s
	}
	def, _ := get(defs, strings.TrimPrefix(ref, "#/$defs/")).(yaml.MapSlice)
	out := append(yaml.MapSlice{}, s...)
	for _, item := range def {
		if get(s, fmt.Sprint(item.Key)) == nil {
			out = append(out, item)
		}
	}
	return out
}

func enumAndHint(s yaml.MapSlice) ([]string, string) {
	var enum []string
	if e, ok := get(s, "enum").([]any); ok {
		for _, v := range e {
			enum = append(enum, fmt.Sprint(v))
		}
	}
	hint, _ := get(s, "x-pattern-message").(string)
	hint = strings.TrimPrefix(hint, "must match ")
	hint = strings.TrimPrefix(hint, "must be ")
	return enum, hint
}

func get(s yaml.MapSlice, key string) any {
	for _, item := range s {
		if k, ok := item.Key.(string); ok && k == key {
			return item.Value
		}
	}
	return nil
}

// Fields returns every field of a case file with its default level and
// description, in the order of the schema. Fields of array elements have
// paths without indices, such as "charges.article".
func Fields() []FieldInfo { return theModel().Fields() }

// Fields is [Fields] of the schema m.
func (m *Schema) Fields() []FieldInfo {
	out := make([]FieldInfo, len(m.fields))
	for i, f := range m.fields {
		out[i] = f.FieldInfo
	}
	return out
}

var indexRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[[0-9]*\]`) })

// DefaultLevel returns the default sensitivity level of the field at path,
// as the schema declares it, and whether the schema knows the field. The
// path has no array indices, as in "mistreatment.description"; indices such
// as "charges[0].article" are ignored. For a field the schema does not know,
// DefaultLevel returns [Confidential] and false.
func DefaultLevel(path string) (Level, bool) { return theModel().DefaultLevel(path) }

// DefaultLevel is [DefaultLevel] of the schema m.
func (m *Schema) DefaultLevel(path string) (Level, bool) {
	if strings.Contains(path, "[") {
		path = indexRE().ReplaceAllString(path, "")
	}
	f, ok := m.byPath[path]
	if !ok {
		return Confidential, false
	}
	return f.Level, true
}
