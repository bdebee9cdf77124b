package index

import (
	"strings"
	"unicode"
)

// OrgToken is the posting token of the cases imported from the partner
// organisation org (a revision's provenance): `--org` looks it up
// instead of reading every summary. Names that strings.EqualFold takes as
// equal, spaces around them aside, have the same token, so the token
// finds every case Filter.Match lets through (which still decides).
func OrgToken(org string) string { return "org:" + foldOrg(org) }

// foldOrg maps each letter of s (trimmed) to the smallest of the letters
// unicode.SimpleFold makes it equal to: the same string for every
// spelling strings.EqualFold takes as equal.
func foldOrg(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// AddOrg adds the token of the partner organisation a case was imported
// from (its current revision's provenance); "" (one of ours) adds none.
func (tf TokenFields) AddOrg(origin string) {
	if strings.TrimSpace(origin) == "" {
		return
	}
	if t := OrgToken(origin); !hasToken(tf, t) {
		tf[t] = FieldSet{}
	}
}

func hasToken(tf TokenFields, t string) bool {
	_, ok := tf[t]
	return ok
}
