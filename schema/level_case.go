package schema

import "strings"

// Level returns the effective sensitivity level of the field at path, such
// as "person.name" or "mistreatment.description" (array indices are
// ignored). It is the highest of the field's default level and the levels
// that sensitivity_overrides give the field or any field containing it; an
// override below the default has no effect. A field the schema does not
// know is [Confidential].
func (c *Case) Level(path string) Level {
	path = indexRE().ReplaceAllString(path, "")
	m := c.schema()
	level, _ := m.DefaultLevel(path)
	var overrides map[string]any
	if c != nil {
		overrides, _ = c.Doc["sensitivity_overrides"].(map[string]any)
	}
	for p := path; p != ""; {
		if d, known := m.DefaultLevel(p); known && d > level {
			level = d
		}
		if name, ok := overrides[p].(string); ok {
			if o, err := ParseLevel(name); err == nil && o > level {
				level = o
			}
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return level
}

// Filter returns a deep copy of the case that keeps only the fields for
// which keep returns true. keep is called with the path of each field that
// holds a value or a list of values (such as "person.name",
// "person.citizenship" or "charges.article", without indices) and its
// effective level from [Case.Level]; sensitivity_overrides is one such
// field. Fields of objects in arrays are filtered one by one. Objects and
// arrays left empty are dropped.
//
// The copy is not validated: dropping fields may leave a required one out.
// Its levels come from its own sensitivity_overrides, so callers that filter
// out sensitivity_overrides should take levels from c, not from the copy.
func (c *Case) Filter(keep func(path string, level Level) bool) *Case {
	out, _ := c.filter("", c.Doc, keep).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return &Case{Doc: out, s: c.s}
}

// filter returns the filtered copy of v at path, or nil if nothing is kept.
func (c *Case) filter(path string, v any, keep func(string, Level) bool) any {
	switch v := v.(type) {
	case map[string]any:
		if path != "sensitivity_overrides" {
			out := map[string]any{}
			for k, e := range v {
				if f := c.filter(joinField(path, k), e, keep); f != nil {
					out[k] = f
				}
			}
			if len(out) == 0 {
				return nil
			}
			return out
		}
	case []any:
		var out []any
		for _, e := range v {
			if f := c.filter(path, e, keep); f != nil {
				out = append(out, f)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case nil:
		return nil
	}
	if !keep(path, c.Level(path)) {
		return nil
	}
	return deepCopy(v)
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
