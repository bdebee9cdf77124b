package publish

import (
	"strings"
	"unicode"
)

// invisible reports whether r is a character that a publication never
// carries: bidirectional controls (embeddings, overrides, isolates and
// marks, which can make text display in another order than it is stored),
// zero-width and other format characters (zero-width space, joiners, word
// joiner, byte-order mark, soft hyphen: all of Unicode category Cf), the
// Hangul fillers that display as blank, and control characters other than
// tab and newline.
func invisible(r rune) bool {
	switch r {
	case '\t', '\n':
		return false
	case '\u115F', '\u1160', '\u3164', '\uFFA0':
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r)
}

// cleanText returns s without the characters [invisible] reports.
func cleanText(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// cleanSet returns a copy of set in which every string that any format
// writes has passed through [cleanText]. Render works on it, so that no
// output carries invisible characters whoever made the set.
func cleanSet(set *Set) *Set {
	cp := *set
	out := &cp
	out.Org = cleanText(set.Org)
	out.Records = make([]*Record, len(set.Records))
	for i, r := range set.Records {
		c := *r
		c.Articles = slicesClone(r.Articles)
		c.Citizenship = slicesClone(r.Citizenship)
		c.Charges = slicesClone(r.Charges)
		c.Detention = slicesClone(r.Detention)
		for j := range c.Detention {
			c.Detention[j].Conditions = slicesClone(c.Detention[j].Conditions)
		}
		c.Mistreatment = slicesClone(r.Mistreatment)
		for j := range c.Mistreatment {
			c.Mistreatment[j].Kind = slicesClone(c.Mistreatment[j].Kind)
		}
		for _, f := range c.strings() {
			*f.p = cleanText(*f.p)
		}
		out.Records[i] = &c
	}
	return out
}

// slicesClone is slices.Clone that keeps an empty slice non-nil, so that
// JSON writes [] rather than null.
func slicesClone[S ~[]E, E any](s S) S {
	if s == nil {
		return nil
	}
	return append(S{}, s...)
}
