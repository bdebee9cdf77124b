package cases

import (
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ChangeKind says how a field differs between two documents.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "added"   // the field is only in the newer document
	Removed ChangeKind = "removed" // the field is only in the older document
	Changed ChangeKind = "changed" // the field is in both, with other values
)

// A Change is one field that differs between two case documents.
type Change struct {
	// Path names the field as the schema's messages do: "person.name",
	// "charges[1].article" (indices from 0); "" is the whole document.
	Path string     `json:"path"`
	Kind ChangeKind `json:"kind"`
	// Old is the value in the older document (absent when added), New
	// the value in the newer one (absent when removed): JSON values
	// (map[string]any, []any, string, float64, bool).
	Old any `json:"old,omitempty"`
	New any `json:"new,omitempty"`

	at []any // the path as keys (string) and indices (int)
}

// Diff returns the fields in which document b differs from document a,
// field by field: values of JSON (as schema.Case.Doc holds them, or
// decoded with encoding/json). Mappings are compared key by key and lists
// element by element at the same index; a field added or removed whole is
// one change carrying its whole value. The order is deterministic: keys
// sorted, indices ascending. Diff(a, b) is empty exactly when a and b are
// equal.
func Diff(a, b any) []Change {
	var out []Change
	diffAt(nil, a, b, true, true, &out)
	return out
}

func diffAt(at []any, a, b any, inA, inB bool, out *[]Change) {
	switch {
	case inA && !inB:
		*out = append(*out, change(at, Removed, a, nil))
		return
	case !inA && inB:
		*out = append(*out, change(at, Added, nil, b))
		return
	}
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(av)+len(bv))
		for k := range av {
			keys = append(keys, k)
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			x, okA := av[k]
			y, okB := bv[k]
			diffAt(push(at, k), x, y, okA, okB, out)
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok {
			break
		}
		for i := 0; i < max(len(av), len(bv)); i++ {
			var x, y any
			if i < len(av) {
				x = av[i]
			}
			if i < len(bv) {
				y = bv[i]
			}
			diffAt(push(at, i), x, y, i < len(av), i < len(bv), out)
		}
		return
	}
	if !Equal(a, b) {
		*out = append(*out, change(at, Changed, a, b))
	}
}

func push(at []any, step any) []any {
	return append(append(make([]any, 0, len(at)+1), at...), step)
}

func change(at []any, k ChangeKind, old, new any) Change {
	return Change{Path: PathString(at), Kind: k, Old: old, New: new, at: at}
}

// Equal reports whether two JSON values are equal.
func Equal(a, b any) bool { return reflect.DeepEqual(a, b) }

// PathString writes a path of keys and indices as the schema's messages
// do: person.name, charges[1].article.
func PathString(at []any) string {
	var b strings.Builder
	for _, s := range at {
		switch s := s.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		}
	}
	return b.String()
}

// Steps returns the change's path as keys (string) and indices (int).
func (c Change) Steps() []any { return c.at }

// Lookup returns the value at the path of keys and indices in doc, and
// whether it is there.
func Lookup(doc any, at []any) (any, bool) {
	v := doc
	for _, s := range at {
		switch s := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[s]; !ok {
				return nil, false
			}
		case int:
			l, ok := v.([]any)
			if !ok || s < 0 || s >= len(l) {
				return nil, false
			}
			v = l[s]
		default:
			return nil, false
		}
	}
	return v, true
}

// Undone returns what storing file would undo of the changes made between
// base and cur (the document a file was based on, and the current one):
// within each field changed since base, the differences from cur to file,
// field by field. Old is the current value, New what the file holds. It is
// empty when file keeps every change made since base (it may change other
// fields: those were not changed by anyone else).
func Undone(base, cur, file any) []Change {
	var out []Change
	for _, c := range Diff(base, cur) {
		vc, inC := Lookup(cur, c.at)
		vf, inF := Lookup(file, c.at)
		diffAt(c.at, vc, vf, inC, inF, &out)
	}
	return out
}
