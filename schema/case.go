package schema

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Canonical returns the case as deterministic JSON: keys sorted, no HTML
// escaping, no trailing newline. Equal documents give equal bytes.
//
// Canonical panics if c.Doc holds a value JSON cannot encode, which a
// [Case] from [Parse], [FromJSON] or [Case.Filter] never does.
func (c *Case) Canonical() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.Doc); err != nil {
		panic("schema: case document cannot be encoded as JSON: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Name returns person.name, or "" if it is absent.
func (c *Case) Name() string {
	return c.str("person", "name")
}

// NameNative returns person.name_native, or "" if it is absent.
func (c *Case) NameNative() string {
	return c.str("person", "name_native")
}

// Status returns the status of the case, or "" if it is absent.
func (c *Case) Status() string {
	return c.str("status")
}

// str returns the string at the path of field names, or "".
func (c *Case) str(names ...string) string {
	var v any = c.Doc
	for _, name := range names {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[name]
	}
	s, _ := v.(string)
	return s
}

// EvidenceRefs returns the evidence IDs that mistreatment incidents refer
// to, sorted and without duplicates.
func (c *Case) EvidenceRefs() []string {
	var refs []string
	for _, incident := range c.list("mistreatment") {
		m, _ := incident.(map[string]any)
		for _, e := range asList(m["evidence"]) {
			if s, ok := e.(string); ok {
				refs = append(refs, s)
			}
		}
	}
	slices.Sort(refs)
	return slices.Compact(refs)
}

func (c *Case) list(name string) []any {
	return asList(c.Doc[name])
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
