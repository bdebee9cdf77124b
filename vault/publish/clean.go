package publish

import (
	"strings"
	"unicode"
	"unicode/utf8"
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

// cleanText returns s as a reader would see it, without the characters
// [invisible] reports: text under a right-to-left override (U+202E, up to
// its U+202C or the end of the line) is first put in the order it is
// displayed in, so that "\u202eyksvonhkahS\u202c", shown as "Shakhnovsky",
// is published and scanned as "Shakhnovsky", not as a reversed word that
// no longer looks like the name.
func cleanText(s string) string {
	// Invalid UTF-8 goes through the mapping too, which writes each
	// invalid byte as U+FFFD: a publication is valid UTF-8.
	if utf8.ValidString(s) && strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	s = displayOrder(s)
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// displayOrder reverses the runs of text under right-to-left overrides.
// Overrides force every character of the run to display right to left,
// whatever its script; nested embeddings are not modelled.
func displayOrder(s string) string {
	if !strings.ContainsRune(s, '\u202e') {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if rs[i] != '\u202e' {
			out = append(out, rs[i])
			continue
		}
		j := i + 1
		for j < len(rs) && rs[j] != '\u202c' && rs[j] != '\n' {
			j++
		}
		for k := j - 1; k > i; k-- {
			out = append(out, rs[k])
		}
		if j < len(rs) && rs[j] == '\n' {
			out = append(out, '\n')
		}
		i = j
	}
	return string(out)
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
