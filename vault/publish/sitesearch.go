package publish

import (
	_ "embed"
	"strconv"
	"strings"
)

// The site's search box matches the way the leak scanner folds words:
// every word of the query, folded by filter.js (lower case, ё/е,
// transliteration, spelling variants, case endings), must be the start of
// a word of the case, folded by skeleton at publish time. A case's words
// are written into its row of the index (data-words); the query never
// leaves the page.

// foldTablesJSON are filter.js's fold tables, generated from the Go tables
// (see sitefold_tables_test.go). The index carries them in a JSON data
// element, which a Content-Security-Policy does not treat as script.
//
//go:embed assets/foldtables.json
var foldTablesJSON string

// fieldSep separates the words of two values in data-words: a query's
// words that follow one another ("207.3", "IK-6") match only within one
// value.
const fieldSep = "|"

// searchWords returns the words a reader's query is matched against: the
// skeletons of the words of the record's values that the site shows (its
// case page and its row of the index), in order, values separated by
// fieldSep, each sequence once. The public ID is not among them (filter.js
// matches it against the row's id): split into words, its digits would
// look like an ID number to the leak scan. A word joined by a hyphen (Kara-Murza) is
// there whole, and its parts as a value of their own.
//
// Only the record is read, and the record holds only public values (the
// leak scan has checked each of them): nothing else can become searchable.
func searchWords(r *Record) string {
	var fields []string
	seen := map[string]bool{}
	field := func(toks []token) {
		var w []string
		for _, t := range toks {
			w = append(w, t.skel)
		}
		if f := strings.Join(w, " "); f != "" && !seen[f] {
			seen[f] = true
			fields = append(fields, f)
		}
	}
	add := func(v string) {
		toks := tokenize(v)
		field(toks)
		for _, t := range toks {
			if word := v[t.start:t.end]; strings.ContainsFunc(word, isHyphen) {
				field(tokenize(strings.Map(func(r rune) rune {
					if isHyphen(r) {
						return ' '
					}
					return r
				}, word)))
			}
		}
	}
	for _, f := range r.strings() {
		switch {
		case f.name == "origin" && !r.imported:
			continue // the publisher: every case of its own
		case r.Anonymous && strings.HasPrefix(f.name, "detention[") && strings.HasSuffix(f.name, "].facility"):
			continue // the case page leaves it out
		}
		add(*f.p)
	}
	if r.BirthYear != 0 {
		add(strconv.Itoa(r.BirthYear))
	}
	return strings.Join(fields, " "+fieldSep+" ")
}
