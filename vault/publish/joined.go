package publish

import "unicode"

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
