package publish

import "strings"

// allIn reports whether every token of ts is a word of words.
func allIn(words map[string]bool, ts []token) bool {
	if len(words) == 0 {
		return false
	}
	for _, t := range ts {
		if t.digits || !words[t.stem] {
			return false
		}
	}
	return true
}

// addNameParts adds the forms of a name with a double-barrelled word
// (Kovalchuk-Drozd) split into its parts: each part alone, and each with
// the other words (Olena Kovalchuk, Olena Drozd), as the name of its own.
func (s *scanner) addNameParts(value string, toks []token, with func(string, []string) needle) {
	for _, t := range toks {
		w := value[t.start:t.end]
		parts := strings.FieldsFunc(w, isHyphen)
		if len(parts) < 2 {
			continue
		}
		for _, part := range parts {
			if len([]rune(part)) < 3 {
				continue
			}
			v := value[:t.start] + part + value[t.end:]
			vt := tokenize(v)
			if p, ok := splitName(v, vt); ok {
				s.addName(p, with)
			}
		}
	}
}
