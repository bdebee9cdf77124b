// Package orgname checks the form of an organisation name, as organisation
// cards, partner records and bundle manifests carry it.
package orgname

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen bounds an organisation name, in bytes.
const MaxLen = 200

// Check reports whether name can name an organisation: non-empty after
// trimming, valid UTF-8, at most MaxLen bytes, no control characters.
func Check(name string) error {
	switch {
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("organisation name %q has leading or trailing spaces", name)
	case name == "":
		return errors.New("organisation name is empty")
	case !utf8.ValidString(name):
		return errors.New("organisation name is not valid UTF-8")
	case len(name) > MaxLen:
		return fmt.Errorf("organisation name is longer than %d bytes", MaxLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("organisation name %q contains the control character %U", name, first(name, unicode.IsControl))
	case strings.IndexFunc(name, isBidiOverride) >= 0:
		// They make one name look like another on the screen.
		return fmt.Errorf("organisation name %q contains the bidirectional embedding, override or isolate character %U", name, first(name, isBidiOverride))
	}
	return nil
}

// first is the first rune of s that f accepts.
func first(s string, f func(rune) bool) rune {
	i := strings.IndexFunc(s, f)
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// isBidiOverride reports whether r reorders the text around it: the
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069).
func isBidiOverride(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
