package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// plain returns s safe to print as text: control characters (escape
// sequences, carriage returns, newlines, tabs), bytes that are not UTF-8
// and the invisible marks that reorder text (bidirectional overrides) are
// shown as Go escapes such as \x1b. Names and fields printed in tables may
// come from a partner's bundle or from any file someone handed us; raw,
// they could move the cursor, recolour or overwrite earlier lines
// ("signature: INVALID") on the terminal, or break a table apart. JSON
// output is escaped by its encoder.
func plain(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafeRune(r):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// plainLines is plain applied to each line of s, keeping the line breaks.
func plainLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = plain(l)
	}
	return strings.Join(lines, "\n")
}

// unsafeRune reports whether r changes what a terminal shows beyond
// printing a character.
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r), // C0, DEL and C1 (0x9b is a CSI on some terminals)
		r == 0x061c, r == 0x200e, r == 0x200f, // Arabic letter mark, LRM, RLM
		r >= 0x202a && r <= 0x202e, // embeddings and overrides
		r >= 0x2066 && r <= 0x2069, // isolates
		r == 0x2028, r == 0x2029:   // line and paragraph separators
		return true
	}
	return false
}
