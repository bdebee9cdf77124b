package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseSearchCmd(g *globals) *cobra.Command {
	var f vault.Filter
	var field string
	cmd := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find cases by any word they hold, in any script and word form",
		Long: `Find the cases that hold every word of TEXT in any field of their current
revision (names, relatives, witnesses, judges, facilities, mistreatment
descriptions, notes: every field, whatever its sensitivity), in the name,
note and custody fields of their evidence, and in cases imported from
partners. Latin and Cyrillic spellings match (Омск and Omsk, Кузнецова and
Kouznetsova, ё and е), case does not matter, and Russian and Ukrainian word
forms match (Зайцев, Зайцева, Зайцеву, Зайцевым).

  ворон*             a word that starts with "ворон" (at least 3 letters)
  "глеб шахновский"  these words, in this order, one after the other
  --field PATH       only in this field (mistreatment.description,
                     person.contacts.name, evidence.note, ...)

The FIELDS column (and "fields" in --json) names where the words were
found. Cases come in the order of the index, as they are found: use --limit
and --offset to page through many.

Search words on the command line are visible to other users in the process
list and stay in the shell history: with TEXT "-" they are read from
standard input (one line; asked for on a terminal) instead.`,
		Example: `  casevault case search "кара-мурза"
  casevault case search 207.3 omsk --json
  casevault case search 'ворон*' --limit 20
  casevault case search '"в штрафном изоляторе"' --field mistreatment.description
  casevault case search -               # type the words: not in ps or history
  echo "кара-мурза" | casevault case search -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			query := strings.Join(args, " ")
			if len(args) == 1 {
				var used bool
				var err error
				if query, err = g.stdinValue(args[0], "search text", &used); err != nil {
					return err
				}
			}
			// Before the passphrase is asked.
			if err := vault.ParseQuery(query); err != nil {
				// The text is not repeated: read from standard input, it
				// is kept out of ps and the history, and out of logs too.
				return usagef("search text: %v", err)
			}
			if cmd.Flags().Changed("field") && strings.TrimSpace(field) == "" {
				return usagef("--field is empty: name a field (such as person.contacts.name), or leave --field out to search every field")
			}
			if err := checkSearchField(field); err != nil {
				return err
			}
			if f.Limit < 0 || f.Offset < 0 {
				return usagef("--limit and --offset must not be negative")
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			noteOldIndex(g, v)
			p := g.newHitPrinter()
			err = v.SearchCases(cmd.Context(), query, f, vault.SearchOptions{Field: field}, p.print)
			if ferr := p.finish(); err == nil {
				err = ferr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&field, "field", "", "only words in this field (a path such as person.contacts.name or evidence.note; 'casevault template' shows the fields)")
	addFilterFlags(cmd, &f)
	addPagingFlags(cmd, &f)
	return cmd
}

// checkSearchField refuses a --field path that is not a search field,
// naming the ones it is close to.
func checkSearchField(field string) error {
	if field == "" {
		return nil
	}
	var ue *vault.UnknownFieldError
	if err := vault.CheckSearchField(field); !errors.As(err, &ue) {
		return err
	}
	if len(ue.Close) > 0 {
		return usagef("--field %s: not a field; did you mean %s?", field, strings.Join(ue.Close, ", "))
	}
	return usagef("--field %s: not a field (fields: %s)", field, strings.Join(vault.SearchFields(), ", "))
}

// A hitPrinter prints search hits as they come: table lines of fixed
// widths, or the elements of a JSON array.
type hitPrinter struct {
	g     *globals
	w     *bufio.Writer
	n     int
	flush bool // a person reads: every line at once
}

func (g *globals) newHitPrinter() *hitPrinter {
	return &hitPrinter{g: g, w: bufio.NewWriterSize(g.env.stdout, 64<<10), flush: g.env.stdoutIsTerminal()}
}

const (
	hitNameWidth   = 36
	hitOriginWidth = 26
)

// hitJSON is a hit as --json prints it, with its origin (see summaryJSON).
type hitJSON struct {
	vault.Hit
	Origin string `json:"origin"`
	Ours   bool   `json:"ours"`
}

func (p *hitPrinter) print(h vault.Hit) error {
	if p.g.json {
		if h.Fields == nil {
			h.Fields = []string{}
		}
		b, err := json.MarshalIndent(hitJSON{Hit: h, Origin: originText(h.Origin), Ours: h.Origin == ""}, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if p.n == 0 {
			sep = "[\n  "
		}
		p.w.WriteString(sep)
		p.w.Write(b)
	} else {
		if p.n == 0 {
			p.header()
		}
		name := h.Name
		if h.NameNative != "" {
			name += " (" + h.NameNative + ")"
		}
		fmt.Fprintf(p.w, "%-17s  %s  %s  %-10s  %-10s  %s\n", h.ID, pad(plain(name), hitNameWidth), pad(plain(p.g.originColumn(h.Origin)), hitOriginWidth), plain(p.g.vocab("status", h.Status)),
			h.Updated.Format(time.DateOnly), strings.Join(h.Fields, ","))
	}
	p.n++
	if p.flush || p.n == 1 || p.n%256 == 0 { // the first line at once: a pipe sees it before the rest is found
		return p.w.Flush()
	}
	return nil
}

func (p *hitPrinter) finish() error {
	switch {
	case p.g.json && p.n == 0:
		p.w.WriteString("[]\n")
	case p.g.json:
		p.w.WriteString("\n]\n")
	case p.n == 0:
		p.header()
	}
	return p.w.Flush()
}

// pad pads or cuts s to width characters.
// header prints the header line of the hits, in the user's language.
func (p *hitPrinter) header() {
	h := func(c string) string { return p.g.ui("ui.table.search."+c, nil) }
	fmt.Fprintf(p.w, "%-17s  %s  %s  %-10s  %-10s  %s\n", h("id"), pad(h("name"), hitNameWidth), pad(h("origin"), hitOriginWidth), h("status"), h("updated"), h("fields"))
}

func pad(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n > width {
		r := []rune(s)
		return string(r[:width-1]) + "…"
	}
	return s + strings.Repeat(" ", width-n)
}
