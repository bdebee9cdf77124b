package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quotedYAML is a string that caseYAML writes double-quoted with escapes:
// one holding control, bidi or other non-printing characters, which
// YAML does not allow unquoted (an edit file with them would never parse
// again) and which must not reach a terminal or editor raw.
type quotedYAML string

// MarshalYAML writes the string as a YAML double-quoted scalar in which
// every character that is not printable (or is a bidi control) is an
// escape; it reads back as exactly the same string.
func (s quotedYAML) MarshalYAML() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range string(s) {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError:
			b.WriteString(`\uFFFD`)
		case yamlPrintable(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return []byte(b.String()), nil
}

// yamlPrintable is true for a character written as itself: printable
// (a plain space included) and not a bidi control.
func yamlPrintable(r rune) bool {
	return (r == ' ' || unicode.IsPrint(r)) && !unicode.Is(unicode.Bidi_Control, r) && r != '\ufeff'
}

// needsYAMLQuote is true for a string that holds a character
// yamlPrintable refuses (newlines alone are left to the literal style).
func needsYAMLQuote(s string) bool {
	for _, r := range s {
		if r != '\n' && !yamlPrintable(r) {
			return true
		}
	}
	return !utf8.ValidString(s)
}
