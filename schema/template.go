package schema

import (
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault/i18n"
)

const templateHeader = `# casevault case file, format case.v1.
#
# Fill in what you know and leave the rest empty: empty fields are ignored.
# person.name is the only required field. The comment on each field gives its
# sensitivity level:
#   public        may be published, subject to publication.consent
#   restricted    goes only to partner organisations the case is shared with
#   confidential  never leaves the vault unless a share names the field
# Dates are YYYY-MM-DD, or YYYY-MM or YYYY where the day is unknown. Lists are
# written [a, b] or one "- item" per line. For lists of entries, remove the
# "# " in front of the example entry and copy it once per entry. A level may be
# raised, never lowered, for this case in sensitivity_overrides.

`

// Template returns an empty case file in YAML in which every field has a
// comment giving its sensitivity level, what it holds and its allowed
// values. With person.name filled in, it parses with [Parse].
func Template() []byte { return TemplateIn(i18n.Default) }

// TemplateIn is [Template] with its comments in lang (en, ru, uk): the
// field names and the values of the vocabularies stay English, they are
// the case file's format. A field whose description the catalogue does not
// hold (or holds for an older English text) keeps its English comment.
func TemplateIn(lang string) []byte {
	var b strings.Builder
	header := templateHeader
	if lang != i18n.Default && i18n.Has(lang, "template.header") && i18n.T(i18n.Default, "template.header", nil)+"\n" == templateHeader {
		header = i18n.T(lang, "template.header", nil) + "\n"
	}
	b.WriteString(header)
	commentedBelow := -1 // depth below which fields are commented out
	first := map[int]bool{}
	for i, f := range theModel().fields {
		if commentedBelow >= 0 && f.depth <= commentedBelow {
			commentedBelow = -1
		}
		name := f.Path[strings.LastIndexByte(f.Path, '.')+1:]
		note := fieldNoteIn(f, lang)
		if commentedBelow < 0 {
			if f.depth == 0 && i > 0 {
				b.WriteString("\n")
			}
			indent := strings.Repeat("  ", f.depth)
			fmt.Fprintf(&b, "%s# %s\n", indent, note)
			if f.Path == "schema" {
				fmt.Fprintf(&b, "%sschema: %s\n", indent, Version)
			} else {
				fmt.Fprintf(&b, "%s%s:\n", indent, name)
			}
			switch f.shape {
			case shapeObjects:
				commentedBelow = f.depth
				first[f.depth+1] = true
			case shapeMap:
				fmt.Fprintf(&b, "%s  # person.name: confidential\n", indent)
			}
			continue
		}
		// A field of an example entry of a list, commented out.
		indent := strings.Repeat("  ", commentedBelow+1)
		lead := "  "
		if first[f.depth] {
			lead = "- "
			first[f.depth] = false
		}
		extra := strings.Repeat("  ", f.depth-commentedBelow-1)
		line := fmt.Sprintf("%s# %s%s%s:", indent, extra, lead, name)
		fmt.Fprintf(&b, "%-40s # %s\n", line, note)
		if f.shape == shapeObjects {
			first[f.depth+1] = true
		}
	}
	return []byte(b.String())
}

// fieldNoteIn is the comment on a field in the template, in lang.
func fieldNoteIn(f field, lang string) string {
	if lang == i18n.Default {
		return fieldNote(f)
	}
	level := i18n.T(lang, "vocab.level."+f.Level.String(), nil)
	if f.required {
		level += ", " + i18n.T(lang, "template.required", nil)
	}
	desc := f.Description
	if id := "field." + f.Path; i18n.Has(lang, id) && i18n.T(i18n.Default, id, nil) == desc {
		desc = i18n.T(lang, id, nil)
	}
	note := fmt.Sprintf("[%s] %s", level, desc)
	switch {
	case len(f.enum) > 0 && f.shape == shapeValues:
		note += i18n.T(lang, "template.listOf", map[string]any{"Values": strings.Join(f.enum, ", ")})
	case len(f.enum) > 0:
		note += i18n.T(lang, "template.oneOf", map[string]any{"Values": strings.Join(f.enum, ", ")})
	case strings.HasPrefix(f.hint, "YYYY"):
		note += i18n.T(lang, "template.date", nil)
	case f.hint != "":
		note += i18n.T(lang, "template.each", map[string]any{"Hint": i18n.Text(f.hint)})
	}
	return note
}

// fieldNote is the comment on a field in the template.
func fieldNote(f field) string {
	level := f.Level.String()
	if f.required {
		level += ", required"
	}
	note := fmt.Sprintf("[%s] %s", level, f.Description)
	switch {
	case len(f.enum) > 0 && f.shape == shapeValues:
		note += " A list of: " + strings.Join(f.enum, ", ") + "."
	case len(f.enum) > 0:
		note += " One of: " + strings.Join(f.enum, ", ") + "."
	case strings.HasPrefix(f.hint, "YYYY"):
		note += " A date: YYYY-MM-DD, YYYY-MM or YYYY."
	case f.hint != "":
		note += " Each " + f.hint + "."
	}
	return note
}
