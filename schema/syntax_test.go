package schema

import (
	"errors"
	"strings"
	"testing"
)

// TestFriendlySyntaxErrors checks that the common mistakes of hand-written
// YAML are reported with the line and column of the mistake, a sentence
// saying how to fix it, and the parser's own message after it; that the
// error is still ErrSyntax; and that the text on the line (which may be
// confidential) is not quoted.
func TestFriendlySyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		line, col  int
		want       string
	}{
		{"colon in value", "person:\n  name: X\nnotes: Beta: lawyer visit on 3 May\n", 3, 12,
			`the text after 'notes:' contains ': ' (a colon and a space), which YAML reads as the start of another field; put the whole value in quotes: notes: "…"`},
		{"colon in list entry field", "person:\n  name: X\ncharges:\n  - article: \"1\"\n    title: Spreading: fakes\n", 5, 21,
			`put the whole value in quotes: title: "…"`},
		{"tab indentation", "person:\n\tname: X\n", 2, 1, "indented with a tab; YAML allows only spaces"},
		{"unclosed double quote", "person:\n  name: \"Ivan\nnotes: x\n", 2, 9, `opens a double quote (") that is never closed`},
		{"unclosed single quote", "person: {name: X}\nnotes: 'x\n", 2, 8, `opens a single quote (') that is never closed`},
		{"list entry indentation", "person:\n  name: X\n  aliases:\n    - a\n   - b\n", 5, 4,
			"this list entry is not indented like the entries before it; every '- ' of one list must start in the same column (line 4 starts in column 5, this one in column 4)"},
		{"dash without space", "person:\n  aliases:\n  - a\n  -b\n", 4, 3, "a list entry needs a space after the dash"},
		{"field indentation", "person:\n  name: X\n region: c\n", 3, 2, "this line is not indented like the fields around it"},
		{"field under a value", "person:\n  name: b\n    region: d\n", 3, 5, "this line is indented under 'name:' (line 2), which already has a value"},
		{"unclosed brackets", "person:\n  aliases: [a, b\nnotes: c\n", 3, 1, "a list in square brackets [ … ] is not closed"},
		{"unclosed braces", "person: {name: X\n", 1, 9, "a mapping in braces { … } is not closed"},
		{"reserved character", "person: {name: X}\nnotes: @x\n", 2, 8, "cannot start with @"},
		{"duplicate field", "person: {name: X}\nnotes: x\nnotes: y\n", 3, 1, "appears twice in the same place (first on line 2)"},
	} {
		_, err := Parse([]byte(tc.yaml))
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: error %v is not ErrSyntax", tc.name, err)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v is not a *SyntaxError", tc.name, err)
			continue
		}
		if se.Line != tc.line || se.Column != tc.col {
			t.Errorf("%s: at %d:%d, want %d:%d (%v)", tc.name, se.Line, se.Column, tc.line, tc.col, err)
		}
		if !strings.Contains(se.Message, tc.want) {
			t.Errorf("%s: message %q, want it to contain %q", tc.name, se.Message, tc.want)
		}
		if se.Parser == "" || !strings.HasSuffix(err.Error(), "(YAML parser: "+se.Parser+")") {
			t.Errorf("%s: the parser's message is not kept after ours: %v", tc.name, err)
		}
		for _, secret := range []string{"Beta", "lawyer", "Ivan", "Spreading"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: the error quotes the text of the file (%q): %v", tc.name, secret, err)
			}
		}
	}
}
