package schema

import (
	"strings"
)

// A FormKind is how a form asks for a field.
type FormKind int

// The kinds of fields a form asks for.
const (
	FormText     FormKind = iota + 1 // one line of text
	FormLongText                     // text of several lines (longer than a short text)
	FormInteger                      // a whole number
	FormChoice                       // one word of a controlled vocabulary (enum)
	FormChoices                      // several words of a controlled vocabulary
	FormList                         // a list of free values (names, codes, links)
	FormGroup                        // an object whose fields follow (person, proceedings)
	FormEntries                      // a list of objects whose fields follow (charges, detention)
	FormMap                          // an object with free-form keys (sensitivity_overrides)
)

// A FormField is what a form needs to ask for one field of a case file:
// the field's [FieldInfo] (path, default level, description) and how its
// value is entered. Fields come in the order of the schema; the fields of
// a FormGroup or FormEntries field follow it, one level deeper.
type FormField struct {
	FieldInfo
	// Kind says how the value is entered.
	Kind FormKind
	// Choices are the words of a FormChoice or FormChoices field.
	Choices []string
	// Hint says what the value looks like, from the schema's
	// x-pattern-message ("an ISO 3166 alpha-2 country code in capitals,
	// like RU"), or "".
	Hint string
	// Required says the field must have a value when its parent has one.
	Required bool
	// Const is the only value the field may take ("schema": case.v1), or "".
	Const string
	// Depth is 0 for top-level fields, 1 for their fields, and so on.
	Depth int
}

// Name returns the last part of the field's path ("name" for
// "person.name").
func (f FormField) Name() string { return f.Path[strings.LastIndexByte(f.Path, '.')+1:] }

// FormFields returns every field of a case file as a form asks for it, in
// the order of the schema.
func FormFields() []FormField { return theModel().FormFields() }

// FormFields is [FormFields] of the schema m.
func (m *Schema) FormFields() []FormField {
	out := make([]FormField, 0, len(m.fields))
	for _, f := range m.fields {
		ff := FormField{FieldInfo: f.FieldInfo, Choices: f.enum, Hint: f.hint, Required: f.required, Depth: f.depth}
		prop := m.propertyAt(f.Path)
		if c, ok := prop["const"].(string); ok {
			ff.Const = c
		}
		switch f.shape {
		case shapeObject:
			ff.Kind = FormGroup
		case shapeObjects:
			ff.Kind = FormEntries
		case shapeMap:
			ff.Kind = FormMap
		case shapeValues:
			ff.Kind = FormList
			if len(f.enum) > 0 {
				ff.Kind = FormChoices
			}
		default:
			switch {
			case len(f.enum) > 0:
				ff.Kind = FormChoice
			case prop["type"] == "integer":
				ff.Kind = FormInteger
			case maxLength(prop) > shortTextLength:
				ff.Kind = FormLongText
			default:
				ff.Kind = FormText
			}
		}
		out = append(out, ff)
	}
	return out
}

// shortTextLength is the longest text a form asks for on one line: the
// maxLength of the schema's shortText.
const shortTextLength = 500

func maxLength(prop map[string]any) float64 {
	switch n := prop["maxLength"].(type) {
	case float64:
		return n
	case int:
		return float64(n)
	}
	// jsonschema decodes numbers as json.Number.
	if s, ok := prop["maxLength"].(interface{ String() string }); ok {
		var f float64
		for _, c := range s.String() {
			if c < '0' || c > '9' {
				return 0
			}
			f = f*10 + float64(c-'0')
		}
		return f
	}
	return 0
}

// propertyAt returns the schema of the field at path (no indices), with
// its local $ref merged in, or nil.
func (m *Schema) propertyAt(path string) map[string]any {
	root, _ := m.doc.(map[string]any)
	cur := root
	for _, name := range strings.Split(path, ".") {
		cur = m.deref(cur)
		if cur["type"] == "array" {
			items, _ := cur["items"].(map[string]any)
			cur = m.deref(items)
		}
		props, _ := cur["properties"].(map[string]any)
		next, ok := props[name].(map[string]any)
		if !ok {
			return nil
		}
		cur = next
	}
	return m.deref(cur)
}

// deref returns s with the keys of the local definition it refers to
// ($ref: #/$defs/NAME) added where s has none of its own.
func (m *Schema) deref(s map[string]any) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok || !strings.HasPrefix(ref, "#/$defs/") {
		return s
	}
	root, _ := m.doc.(map[string]any)
	defs, _ := root["$defs"].(map[string]any)
	def, _ := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	out := make(map[string]any, len(s)+len(def))
	for k, v := range def {
		out[k] = v
	}
	for k, v := range s {
		out[k] = v
	}
	return out
}

// Check validates doc as [Case.Validate] does (the schema, the order of
// dates, sensitivity_overrides) and returns the problems at the path
// under or below it ("charges[0]" gives those of the first charge and
// its fields; "" gives all). The messages are those of [Case.Validate],
// so that a form that checks a field as the user types says what a case
// file with the same value would be told. doc need not be a whole case:
// a form checks one field by giving a document that holds only it, and
// problems elsewhere (person.name missing) are not returned.
func (m *Schema) Check(doc map[string]any, under string) []Problem {
	c := m.NewCase(doc)
	err := c.Validate()
	ve, ok := err.(*ValidationError)
	if !ok {
		return nil
	}
	var out []Problem
	for _, p := range ve.Problems {
		if under == "" || p.Path == under || strings.HasPrefix(p.Path, under+".") || strings.HasPrefix(p.Path, under+"[") {
			out = append(out, p)
		}
	}
	return out
}
