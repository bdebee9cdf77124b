package main

import (
	"slices"
	"strings"
	"testing"
)

// vocabularyFromValidator is how the help texts listed a vocabulary
// before: the values the schema's validator names when it refuses one.
func vocabularyFromValidator(kind string) []string {
	err := checkVocabulary(kind, "\x00")
	if err == nil {
		return nil
	}
	msg := err.Error()
	i := strings.Index(msg, "one of")
	if i < 0 {
		return nil
	}
	msg = strings.TrimLeft(msg[i+len("one of"):], ": ")
	if j := strings.Index(msg, " ("); j >= 0 {
		msg = msg[:j]
	}
	var out []string
	for _, v := range strings.Split(msg, ",") {
		if v = strings.Trim(strings.TrimSpace(v), `"`); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// The help texts' vocabularies, read from the schema without compiling it,
// are the values the validator accepts, in its order; and each is accepted.
func TestVocabularyMatchesValidator(t *testing.T) {
	for _, kind := range []string{"status", "consent", "mistreatment"} {
		got, want := vocabulary(kind), vocabularyFromValidator(kind)
		if len(got) < 3 || !slices.Equal(got, want) {
			t.Errorf("%s: help lists %q, the validator %q", kind, got, want)
		}
		for _, v := range got {
			if err := checkVocabulary(kind, v); err != nil {
				t.Errorf("%s %q listed but refused: %v", kind, v, err)
			}
		}
	}
}
