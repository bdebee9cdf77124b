package publish

import (
	"slices"
	"strings"
)

// judgeKey is a judge's name as its sorted word stems, "" for none.
func judgeKey(judge string) string {
	var st []string
	for _, t := range tokenize(judge) {
		if !t.digits {
			st = append(st, t.stem)
		}
	}
	slices.Sort(st)
	return strings.Join(st, " ")
}

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
