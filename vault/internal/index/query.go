package index

import (
	"bytes"
	"errors"
	"slices"

	"github.com/casevault/casevault/vault/internal/ids"
)

// ErrEmptyQuery is a query with nothing to search for.
var ErrEmptyQuery = errors.New("search text has no letters or digits")

// A Query is a parsed search: the cases it finds hold every term.
type Query struct {
	Terms []string // search tokens, as Tokens makes them
}

// ParseQuery parses search text: every word of it must match, in any
// case and script (see Tokens).
func ParseQuery(text string) (Query, error) {
	toks := Tokens(text)
	if len(toks) == 0 {
		return Query{}, ErrEmptyQuery
	}
	return Query{Terms: toks}, nil
}

// Match returns the cases that hold every term of q, sorted by ID.
// postings returns the cases indexed under one token, sorted by ID.
func (q Query) Match(postings func(tok string) ([]ids.CaseID, error)) ([]ids.CaseID, error) {
	var hits []ids.CaseID
	for i, t := range q.Terms {
		found, err := postings(t)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			hits = found
			continue
		}
		hits = Intersect(hits, found)
	}
	return hits, nil
}

// SortIDs sorts case IDs and removes duplicates (a posting group names
// cases in the order they were imported).
func SortIDs(s []ids.CaseID) []ids.CaseID {
	slices.SortFunc(s, func(a, b ids.CaseID) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(s)
}

// Intersect returns the IDs in both a and b, each sorted by ID.
func Intersect(a, b []ids.CaseID) []ids.CaseID {
	var out []ids.CaseID
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := bytes.Compare(a[i][:], b[j][:]); {
		case c == 0:
			out = append(out, a[i])
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	return out
}
