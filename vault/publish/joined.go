package publish

import (
	"strings"
	"unicode"
)

// isIntraWordMark reports punctuation that a writer may put between the
// letters of one word to split it for a reader's eye but not for a
// matcher: Gai.fullin, Gai·fullin, Gai_fullin, Gai/fullin, Gai*ful*lin,
// Gai—fullin, Gai¬fullin.
func isIntraWordMark(r rune) bool {
	switch r {
	case '.', '·', '•', '∙', '‧', '_', '/', '\\', '*', '—', '–', '―', '‒', '¬', '|', '~', '+', '^', '=', '‚', '¸':
		return true
	}
	return false
}

// joinedRunes returns n without the intra-word marks that stand between
// two letters, and without a hyphen or ¬ at the end of a line before the
// word goes on (Gai-↵fullin), when there is one. The letters keep their
// source offsets, so a match in the joined text masks the right bytes.
func joinedRunes(n []nrune) ([]nrune, bool) {
	letter := func(i int) bool {
		return i >= 0 && i < len(n) && unicode.IsLetter(n[i].r) && !isApostrophe(n[i].r)
	}
	var out []nrune
	for i := 0; i < len(n); i++ {
		if letter(i-1) && (isIntraWordMark(n[i].r) || isHyphen(n[i].r)) {
			j := i
			for j < len(n) && (isIntraWordMark(n[j].r) || isHyphen(n[j].r)) {
				j++
			}
			if letter(j) && (j > i+1 || !isHyphen(n[i].r)) {
				if out == nil {
					out = append(make([]nrune, 0, len(n)), n[:i]...)
				}
				i = j - 1
				continue
			}
			// A hyphen (or ¬) ending a line, the word going on in lower
			// case on the next line.
			if r := n[i].r; (isHyphen(r) || r == '¬' || r == '—' || r == '–') && j == i+1 {
				k, nl := j, false
				for k < len(n) && (n[k].r == ' ' || n[k].r == '\t' || n[k].r == '\r' || n[k].r == '\n') {
					nl = nl || n[k].r == '\n'
					k++
				}
				if nl && letter(k) && unicode.IsLower(n[k].r) {
					if out == nil {
						out = append(make([]nrune, 0, len(n)), n[:i]...)
					}
					i = k - 1
					continue
				}
			}
		}
		if out != nil {
			out = append(out, n[i])
		}
	}
	return out, out != nil
}

// newSpans returns the spans of extra that are not already in have.
func newSpans(have, extra []span) []span {
	for _, sp := range extra {
		dup := false
		for _, o := range have {
			if o.start == sp.start && o.end == sp.end && o.hit.Case == sp.hit.Case && o.hit.Field == sp.hit.Field {
				dup = true
				break
			}
		}
		if !dup {
			have = append(have, sp)
		}
	}
	return have
}

// pluralStem returns the stem of a capitalised Latin word without an
// English plural or possessive -s (the Savchuks, Savchuks' lawyer), when
// the word ends in a consonant and s.
func pluralStem(t token) (string, bool) {
	k := len(t.skel)
	if !t.upper || k < 6 || t.skel[k-1] != 's' || strings.ContainsRune("aeiouS", rune(t.skel[k-2])) {
		return "", false
	}
	return stem(t.skel[:k-1]), true
}

// leet are the digits written for letters (Rusl4n, G41fullin).
var leet = map[rune]rune{'4': 'a', '0': 'o', '3': 'e', '5': 's', '7': 't'}

// leetRunes returns n with the digits inside words of at least three
// letters and a digit read as the letters they imitate (1 as one), when
// there is such a word; ok is false when there is none, or when one is
// '1' and no word holds a 1.
func leetRunes(n []nrune, one rune) ([]nrune, bool) {
	var out []nrune
	for i := 0; i < len(n); {
		j, letters, digits, ones := i, 0, 0, 0
		for j < len(n) && (unicode.IsLetter(n[j].r) && !isApostrophe(n[j].r) || n[j].r >= '0' && n[j].r <= '9') {
			switch {
			case n[j].r == '1':
				ones++
				digits++
			case n[j].r >= '0' && n[j].r <= '9':
				digits++
			default:
				letters++
			}
			j++
		}
		if j == i {
			if out != nil {
				out = append(out, n[i])
			}
			i++
			continue
		}
		mixed := letters >= 3 && digits > 0 && (one != 'l' || ones > 0)
		if mixed && out == nil {
			out = append(make([]nrune, 0, len(n)), n[:i]...)
		}
		for k := i; k < j; k++ {
			x := n[k]
			if mixed {
				if x.r == '1' {
					x.r = one
				} else if c, ok := leet[x.r]; ok {
					x.r = c
				}
			}
			if out != nil {
				out = append(out, x)
			}
		}
		i = j
	}
	return out, out != nil
}
