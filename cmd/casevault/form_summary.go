package main

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/huh/v2"
	"github.com/casevault/casevault/schema"
)

// summaryLines shows the case as it will be stored: one line per value,
// "path [level]: value", in the order of the schema.
func (f *caseForm) summaryLines() []string {
	order := map[string]int{}
	for i, fld := range f.fields {
		order[fld.Path] = i
	}
	c := f.s.NewCase(f.doc)
	var out []string
	var walk func(prefix, bare string, v any)
	walk = func(prefix, bare string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if bare == "sensitivity_overrides" {
				break
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int {
				oa, ok1 := order[joinPath(bare, a)]
				ob, ok2 := order[joinPath(bare, b)]
				if ok1 && ok2 {
					return oa - ob
				}
				return strings.Compare(a, b)
			})
			for _, k := range keys {
				walk(joinPath(prefix, k), joinPath(bare, k), v[k])
			}
			return
		case []any:
			if len(v) > 0 {
				if _, ok := v[0].(map[string]any); ok {
					for i, e := range v {
						walk(fmt.Sprintf("%s[%d]", prefix, i), bare, e)
					}
					return
				}
			}
		}
		line := prefix + " " + f.levelTag(c.Level(bare)) + ": " + strings.ReplaceAll(valueString(v), "\n", " ")
		out = append(out, clip(plain(line), 74))
	}
	walk("", "", f.doc)
	return out
}

// confirm shows the summary and asks what to do: "store", "back" or
// "cancel". A case with mistakes cannot be stored: its mistakes are
// shown with the schema's messages. On a terminal the summary is shown in
// pages that fit 24 lines; in accessible mode it is printed.
func (f *caseForm) confirm() (string, error) {
	lines := []string{f.ft("summary.head")}
	for _, l := range f.summaryLines() {
		lines = append(lines, "  "+l)
	}
	if len(f.attach) > 0 {
		lines = append(lines, f.ft("summary.attach", len(f.attach)))
		for _, a := range f.attach {
			if a.incident >= 0 {
				lines = append(lines, clip(plain(f.ft("summary.attach.incident", a.path, a.incident)), 76))
			} else {
				lines = append(lines, clip(plain(f.ft("summary.attach.case", a.path)), 76))
			}
		}
	}
	probs := f.problems()
	if len(probs) > 0 {
		lines = append(lines, f.ft("summary.problems"))
		for _, p := range probs {
			lines = append(lines, clip("  "+plain(p.String()), 76))
		}
	}
	var opts []huh.Option[string]
	choice := "store"
	if len(probs) == 0 {
		store := f.ft("summary.store")
		if len(f.attach) > 0 {
			store = f.ft("summary.store.files", len(f.attach))
		}
		opts = append(opts, huh.NewOption(store, "store"))
	} else {
		choice = "back"
	}
	opts = append(opts, huh.NewOption(f.ft("summary.back"), "back"), huh.NewOption(f.ft("summary.cancel"), "cancel"))
	sel := huh.NewSelect[string]().Title(f.ft("summary.confirm")).Options(opts...).Value(&choice)
	var groups []*huh.Group
	if f.accessible {
		f.print(strings.Join(lines, "\n") + "\n")
	} else {
		pages := (len(lines) + summaryPage - 1) / summaryPage
		for i := 0; i < pages; i++ {
			page := lines[i*summaryPage : min(len(lines), (i+1)*summaryPage)]
			note := huh.NewNote().Title(f.ft("summary.page", i+1, pages)).Description(noteText(strings.Join(page, "\n"))).Next(true).NextLabel(f.ft("summary.next"))
			groups = append(groups, huh.NewGroup(note))
		}
	}
	groups = append(groups, huh.NewGroup(sel).Title(f.ft("section.summary")))
	if err := f.run(groups...); err != nil {
		return "", err
	}
	return choice, nil
}

// summaryPage is how many lines of the summary a page shows: with the
// title, the button and the help line they fit 24 lines.
const summaryPage = 16

// noteText escapes the characters huh's notes take as formatting (_ * `
// and \), so that field names like birth_date show as they are.
func noteText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "_", `\_`, "*", `\*`, "`", "\\`").Replace(s)
}

// problems returns what is wrong with the case as a whole, as 'case add'
// would say it.
func (f *caseForm) problems() []schema.Problem {
	return f.s.Check(f.doc, "")
}

// result returns the case as entered, read the way 'case add -f' reads a
// file: validated, with the schema field and birth_year filled in and the
// charges' articles in their one form.
func (f *caseForm) result() (*schema.Case, error) {
	c, err := f.s.Parse(f.s.NewCase(f.doc).Canonical())
	if err != nil {
		return nil, err
	}
	c.NormalizeCharges()
	return c, nil
}
