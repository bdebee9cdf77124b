package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseDiffCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "diff ID [REV [REV]]",
		Short: "Show what changed between two revisions of a case, field by field",
		Long: `Show the fields that differ between two revisions of a case: with no
revision, the previous one and the current one; with one, that revision and
the current one; with two, the first and the second. Each line is a field
path as the case model's messages write it (charges[1].article, counting
from 0) with '+' for a field added, '-' for one removed and '~' for one
changed, and its values as JSON. Lists are compared element by element at
the same position. Revision 0 stands for an empty case.

The values are the case's confidential text: control characters in them are
shown escaped. --json prints {id, from, to, changes: [{path, kind, old, new}]}.`,
		Example: `  casevault case diff c7k2m9xq4a5b6c7d8
  casevault case diff c7k2m9xq4a5b6c7d8 2
  casevault case diff c7k2m9xq4a5b6c7d8 2 4 --json`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			revs := make([]uint32, 0, 2)
			for _, a := range args[1:] {
				n, err := strconv.ParseUint(a, 10, 32)
				if err != nil {
					return usagef("revision %q is not a number: 'casevault case history ID' lists the revisions", a)
				}
				revs = append(revs, uint32(n))
			}
			id, v, err := g.caseVault(args[0], true)
			if err != nil {
				return err
			}
			defer v.Close()
			var from, to uint32
			switch len(revs) {
			case 2:
				from, to = revs[0], revs[1]
			default:
				cur, err := v.Case(id)
				if err != nil {
					return err
				}
				to = cur.Rev
				if len(revs) == 1 {
					from = revs[0]
				} else {
					from = cur.Rev - 1
				}
			}
			changes, err := v.DiffRevisions(id, from, to)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(diffJSON{ID: id.String(), From: from, To: to, Changes: orEmpty(changes)})
			}
			if len(changes) == 0 {
				g.infof("revisions %d and %d of case %s are the same", from, to, id)
				return nil
			}
			fmt.Fprintf(g.env.stdout, "# case %s: revision %d -> revision %d\n", id, from, to)
			return writeChanges(g.env.stdout, "", changes)
		},
	}
}

// diffJSON is the --json form of a diff.
type diffJSON struct {
	ID      string         `json:"id"`
	From    uint32         `json:"from"`
	To      uint32         `json:"to"`
	Changes []vault.Change `json:"changes"`
}

func orEmpty(c []vault.Change) []vault.Change {
	if c == nil {
		return []vault.Change{}
	}
	return c
}

// writeChanges writes one line per change, each after indent.
func writeChanges(w io.Writer, indent string, changes []vault.Change) error {
	for _, c := range changes {
		if _, err := fmt.Fprintln(w, indent+changeLine(c, "", "")); err != nil {
			return err
		}
	}
	return nil
}

// changeLine renders a change as one line of text safe for a terminal:
// "~ person.region: "Omsk" -> "Tomsk"", "+ notes: "…"", "- status: "…"".
// oldSide and newSide, when not empty, name the two sides ("now", "in
// this file").
func changeLine(c vault.Change, oldSide, newSide string) string {
	path := c.Path
	if path == "" {
		path = "(the whole case)"
	}
	label := func(s string) string {
		if s == "" {
			return ""
		}
		return " (" + s + ")"
	}
	var s string
	switch c.Kind {
	case vault.ChangeAdded:
		s = "+ " + path + ": " + jsonValue(c.New) + label(newSide)
		if oldSide != "" {
			s += ", absent " + oldSide
		}
	case vault.ChangeRemoved:
		s = "- " + path + ": " + jsonValue(c.Old) + label(oldSide)
		if newSide != "" {
			s += ", absent " + newSide
		}
	default:
		s = "~ " + path + ": " + jsonValue(c.Old) + label(oldSide) + " -> " + jsonValue(c.New) + label(newSide)
	}
	return plain(s)
}

// jsonValue is v as compact JSON, without HTML escaping.
func jsonValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
