package partners

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/errs"
)

// A Share records that a case, or chosen fields of it, goes to a partner
// organisation in bundles.
type Share struct {
	Case string `json:"case"`
	Org  string `json:"org"`
	// Fields are the field paths the share names (such as "person" or
	// "person.contacts"); empty means every public and restricted field.
	Fields  []string  `json:"fields,omitempty"`
	Created time.Time `json:"created"`
	Author  string    `json:"author"`
}

// FieldsError reports field names that are not fields of a case file.
type FieldsError struct {
	Unknown []string
}

func (e *FieldsError) Error() string {
	return fmt.Sprintf("unknown field %s (known fields: %s)",
		strings.Join(quoteAll(e.Unknown), ", "), strings.Join(topFields(), ", "))
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

func topFields() []string {
	var out []string
	for _, f := range schema.Fields() {
		if !strings.Contains(f.Path, ".") {
			out = append(out, f.Path)
		}
	}
	return out
}

// CheckFields validates field names for a share against the schema and
// returns them trimmed, sorted and without duplicates.
func CheckFields(fields []string) ([]string, error) {
	known := map[string]bool{}
	for _, f := range schema.Fields() {
		known[f.Path] = true
	}
	var out, bad []string
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !known[f] {
			bad = append(bad, f)
			continue
		}
		out = append(out, f)
	}
	if len(bad) > 0 {
		return nil, &FieldsError{Unknown: bad}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// alwaysShared are fields every shared copy keeps: the format version, and
// the overrides that tell the partner which fields to treat as more secret.
var alwaysShared = []string{"schema", "sensitivity_overrides"}

// Apply returns the copy of doc that the share lets go to the partner.
//
// With no fields named, it keeps every field whose effective level (after
// the case's sensitivity_overrides) is public or restricted. With fields
// named, it keeps only fields at or below a named path, and of those the
// confidential ones only when a named path is itself confidential: naming
// "person" sends the person's public and restricted fields, naming
// "person.contacts" sends the contacts. The schema version and
// sensitivity_overrides always go along.
func (s *Share) Apply(doc *schema.Case) *schema.Case {
	return filterFields(doc, s.Fields)
}

func filterFields(doc *schema.Case, fields []string) *schema.Case {
	return doc.Filter(func(path string, level schema.Level) bool {
		if slices.Contains(alwaysShared, path) {
			return true
		}
		if len(fields) == 0 {
			return level <= schema.Restricted
		}
		for _, f := range fields {
			if path != f && !strings.HasPrefix(path, f+".") {
				continue
			}
			if level <= schema.Restricted || doc.Level(f) >= schema.Confidential {
				return true
			}
		}
		return false
	})
}

// Is puts a FieldsError among invalid input.
func (e *FieldsError) Is(target error) bool { return target == errs.ErrInvalid }
