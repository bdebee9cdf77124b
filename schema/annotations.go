package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// identifyingClasses are the values x-identifying may take.
var identifyingClasses = []string{PersonName, OtherName, Contact, Address, Place, BirthDate}

// anonymiseValues are the values x-public.anonymise may take.
var anonymiseValues = []string{"", "drop", "omit", "month", "district", "age", "pseudonym", "coarsen"}

// annotate reads the x- annotations of a property other than
// x-sensitivity into f. csvPath is the field's path with "[]" after lists
// of objects.
func (f *field) annotate(prop yaml.MapSlice, csvPath string) error {
	if v := get(prop, "x-search"); v != nil {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("x-search: must be true or false, not %v", v)
		}
		f.Search = b
	}
	if v := get(prop, "x-controlled"); v != nil {
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("x-controlled: must be true or false, not %v", v)
		}
		f.Controlled = b
	}
	if v := get(prop, "x-identifying"); v != nil {
		s, _ := v.(string)
		if !slices.Contains(identifyingClasses, s) {
			return fmt.Errorf("x-identifying: %v is not one of %s", v, strings.Join(identifyingClasses, ", "))
		}
		f.Identifying = s
	}
	if v := get(prop, "x-csv"); v != nil {
		var c CSVColumn
		if err := decodeAnnotation(v, &c); err != nil {
			return fmt.Errorf("x-csv: %w", err)
		}
		if c.Column == "" {
			return fmt.Errorf("x-csv: no column")
		}
		c.Path = csvPath
		f.CSV = &c
	}
	if v := get(prop, "x-public"); v == false {
		f.Unpublished = true
	} else if v != nil {
		var p PublicField
		if err := decodeAnnotation(v, &p); err != nil {
			return fmt.Errorf("x-public: %w", err)
		}
		if p.Record == "" {
			return fmt.Errorf("x-public: no record field")
		}
		if !slices.Contains(anonymiseValues, p.Anonymise) {
			return fmt.Errorf("x-public: anonymise %q is not one of %s", p.Anonymise, strings.Join(anonymiseValues[1:], ", "))
		}
		p.Path = f.Path
		f.Public = &p
	}
	return nil
}

// decodeAnnotation decodes an annotation object strictly into out.
func decodeAnnotation(v any, out any) error {
	m, ok := v.(yaml.MapSlice)
	if !ok {
		return fmt.Errorf("must be an object")
	}
	obj := map[string]any{}
	for _, item := range m {
		obj[fmt.Sprint(item.Key)] = item.Value
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(out)
}

// SearchPaths returns the fields whose text a search index holds
// (x-search), in the order of the schema.
func SearchPaths() []string { return theModel().SearchPaths() }

// SearchPaths is [SearchPaths] of the schema m.
func (m *Schema) SearchPaths() []string {
	var out []string
	for _, f := range m.fields {
		if f.Search {
			out = append(out, f.Path)
		}
	}
	return out
}

// CSVColumns returns the columns of CSV import and export files (x-csv), in
// the order of the schema except where a column names the one it follows.
func CSVColumns() []CSVColumn { return theModel().CSVColumns() }

// CSVColumns is [CSVColumns] of the schema m.
func (m *Schema) CSVColumns() []CSVColumn {
	var out, later []CSVColumn
	for _, f := range m.fields {
		if f.CSV == nil {
			continue
		}
		if f.CSV.After != "" {
			later = append(later, *f.CSV)
		} else {
			out = append(out, *f.CSV)
		}
	}
	for _, c := range later {
		i := slices.IndexFunc(out, func(o CSVColumn) bool { return o.Column == c.After })
		out = slices.Insert(out, i+1, c) // an unknown After puts c first
	}
	return out
}

// IdentifyingPaths returns the fields of the x-identifying class, in the
// order of the schema.
func IdentifyingPaths(class string) []string { return theModel().IdentifyingPaths(class) }

// IdentifyingPaths is [IdentifyingPaths] of the schema m.
func (m *Schema) IdentifyingPaths(class string) []string {
	var out []string
	for _, f := range m.fields {
		if f.Identifying == class {
			out = append(out, f.Path)
		}
	}
	return out
}

// ControlledPaths returns the fields whose values are controlled words
// (x-controlled, or an enum: the schema's own words, such as a status or
// a gender, never data about anyone), in the order of the schema.
func ControlledPaths() []string { return theModel().ControlledPaths() }

// ControlledPaths is [ControlledPaths] of the schema m.
func (m *Schema) ControlledPaths() []string {
	var out []string
	for _, f := range m.fields {
		if f.Controlled || len(f.enum) > 0 {
			out = append(out, f.Path)
		}
	}
	return out
}

// PublicFields returns how each field a publication carries goes into it
// (x-public), in the order of the schema.
func PublicFields() []PublicField { return theModel().PublicFields() }

// PublicFields is [PublicFields] of the schema m.
func (m *Schema) PublicFields() []PublicField {
	var out []PublicField
	for _, f := range m.fields {
		if f.Public != nil {
			out = append(out, *f.Public)
		}
	}
	return out
}

// SearchText returns the texts of the case a search index should hold:
// those of the fields marked x-search in its schema (the person's names,
// aliases, region and occupation, the charges' articles and titles, the
// detention facilities, the court, the status and the public summary), in
// the order of the schema. Empty texts are left out.
func (c *Case) SearchText() []string {
	var out []string
	for _, p := range c.schema().SearchPaths() {
		eachValue(c.Doc, strings.Split(p, "."), func(v any) {
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		})
	}
	return out
}

// eachValue calls fn with every value at the path of names below v,
// descending into lists on the way and at the end.
func eachValue(v any, names []string, fn func(any)) {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			eachValue(e, names, fn)
		}
		return
	}
	if len(names) == 0 {
		fn(v)
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if next, ok := m[names[0]]; ok {
		eachValue(next, names[1:], fn)
	}
}

// NewCase returns a case of the document doc under the schema m, without
// validating it (see [Case.Validate]).
func (m *Schema) NewCase(doc map[string]any) *Case {
	c := &Case{Doc: doc, s: m}
	if m == theModel() {
		c.s = nil
	}
	return c
}
