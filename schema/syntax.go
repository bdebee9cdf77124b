package schema

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// A SyntaxError reports a case file that is not well-formed YAML, with
// the line (and column) and a sentence for the user saying how to fix
// it. It wraps [ErrSyntax]: errors.Is(err, ErrSyntax) holds.
//
// Messages never quote the text of the file: what is on the line may be a
// confidential value (see [Problem]).
type SyntaxError struct {
	// Line and Column are where the parser stopped, from 1; Column is 0
	// when it is not known.
	Line, Column int
	// Message says what is wrong and how to fix it, in plain words.
	Message string
	// Parser is the YAML parser's own message, for experts.
	Parser string
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(ErrSyntax.Error())
	fmt.Fprintf(&b, ": line %d", e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ", column %d", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Parser != "" {
		b.WriteString(" (YAML parser: ")
		b.WriteString(e.Parser)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns [ErrSyntax].
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// yamlKeyLine matches a line that starts a field: indentation, an
// optional list dash, a plain key and ": " or a final ":".
var yamlKeyLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_.\-]*):(?:\s+|$)`)
})

// firstDefined finds where the parser says a duplicate key was first.
var firstDefined = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`already defined at \[(\d+):`) })

// friendlySyntax turns an error of the YAML decoder on src into a
// *SyntaxError, or returns nil if err is not a syntax error with a place.
func friendlySyntax(src []byte, err error) error {
	var se *yaml.SyntaxError
	var de *yaml.DuplicateKeyError
	switch {
	case errors.As(err, &se) && se.Token != nil:
		return explainSyntax(src, se.Token.Position.Line, se.Token.Position.Column, se.Message)
	case errors.As(err, &de) && de.Token != nil:
		return explainSyntax(src, de.Token.Position.Line, de.Token.Position.Column, de.Message)
	}
	return nil
}

// explainSyntax returns the *SyntaxError for the parser message msg at
// line and col of src.
func explainSyntax(src []byte, line, col int, msg string) *SyntaxError {
	lines := strings.Split(string(src), "\n")
	text := func(n int) string {
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimSuffix(lines[n-1], "\r")
	}
	e := &SyntaxError{Line: line, Column: col, Parser: fmt.Sprintf("[%d:%d] %s", line, col, msg)}
	// A tab used for indentation, anywhere up to the error: the parser
	// reports it where it gets lost, which may be later.
	for n := 1; n <= line && n <= len(lines); n++ {
		if indent := leadingSpace(text(n)); strings.Contains(indent, "\t") && (n == line || strings.Contains(msg, "'\t'")) {
			e.Line, e.Column = n, strings.IndexByte(indent, '\t')+1
			e.Message = "the line is indented with a tab; YAML allows only spaces for indentation: replace the tab with spaces (as many as the lines around it use)"
			return e
		}
	}
	switch {
	case strings.Contains(msg, "mapping value is not allowed in this context"),
		strings.Contains(msg, "map key definition includes an implicit line break"):
		// A colon and a space inside an unquoted value.
		if m := yamlKeyLine().FindStringSubmatch(text(line)); m != nil {
			rest := text(line)[len(m[0]):]
			if i := strings.Index(rest, ": "); i >= 0 || strings.HasSuffix(rest, ":") {
				if i < 0 {
					i = len(rest) - 1
				}
				e.Column = utf8.RuneCountInString(text(line)[:len(m[0])+i]) + 1
				e.Message = fmt.Sprintf("the text after '%s:' contains ': ' (a colon and a space), which YAML reads as the start of another field; put the whole value in quotes: %s: \"…\" (inside double quotes write \\\" for a quote)", m[2], m[2])
				return e
			}
		}
		// A field indented under one that already has its value.
		for n := line; n >= 1 && n >= line-1; n-- {
			m := yamlKeyLine().FindStringSubmatch(text(n))
			next := text(n + 1)
			if m == nil || strings.TrimSpace(text(n)[len(m[0]):]) == "" || !yamlKeyLine().MatchString(next) ||
				len(leadingSpace(next)) <= len(leadingSpace(text(n))) {
				continue
			}
			e.Line, e.Column = n+1, len(leadingSpace(next))+1
			e.Message = fmt.Sprintf("this line is indented under '%s:' (line %d), which already has a value on its own line; start it in the same column as '%s:' if it is a field of its own", m[2], n, m[2])
			return e
		}
		e.Message = "a colon and a space (': ') inside a value makes YAML read a new field; put the value in quotes"
	case strings.Contains(msg, "could not find end character of double-quoted text"):
		e.Message = `a value opens a double quote (") that is never closed; close it at the end of the value, and write \" for a quote inside the text`
	case strings.Contains(msg, "could not find end character of single-quoted text"):
		e.Message = `a value opens a single quote (') that is never closed; close it at the end of the value, and write '' (two single quotes) for an apostrophe inside the text, or put the value in double quotes`
	case strings.Contains(msg, "',' or ']' must be specified"), strings.Contains(msg, "sequence end token ']' not found"):
		e.Message = "a list in square brackets [ … ] is not closed: end it with ] on the line it starts, with commas between its entries"
	case strings.Contains(msg, "',' or '}' must be specified"), strings.Contains(msg, "could not find flow mapping end token '}'"):
		e.Message = "a mapping in braces { … } is not closed: end it with } on the line it starts, with commas between its fields"
	case strings.Contains(msg, "is a reserved character"):
		e.Message = "a value cannot start with @ or ` in YAML; put the value in quotes"
	case strings.Contains(msg, "already defined"):
		e.Message = "this field appears twice in the same place; keep one of them"
		if first := firstDefined().FindStringSubmatch(msg); first != nil {
			e.Message = fmt.Sprintf("this field appears twice in the same place (first on line %s); keep one of them", first[1])
		}
	case strings.Contains(msg, "non-map value is specified"),
		strings.Contains(msg, "value is not allowed in this context"),
		strings.Contains(msg, "block sequence entries are not allowed"),
		strings.Contains(msg, "could not find map value"),
		strings.Contains(msg, "unexpected key name"),
		strings.Contains(msg, "found an invalid key"):
		cur := strings.TrimLeft(text(line), " ")
		switch {
		case len(cur) > 1 && cur[0] == '-' && cur[1] != ' ' && cur[1] != '-':
			e.Message = "a list entry needs a space after the dash: write '- value', not '-value'"
		case strings.HasPrefix(cur, "- ") || cur == "-":
			e.Message = fmt.Sprintf("this list entry is not indented like the entries before it; every '- ' of one list must start in the same column%s", prevIndent(text, line))
		default:
			e.Message = fmt.Sprintf("this line is not indented like the fields around it; the fields of one mapping must start in the same column, and a field inside another is indented by more spaces than its parent%s", prevIndent(text, line))
		}
	default:
		e.Message = "the YAML is not well-formed here; check the quotes, colons and indentation on this line and the one before"
	}
	return e
}

// prevIndent describes the indentation of the nearest line before line
// that holds something, for a message.
func prevIndent(text func(int) string, line int) string {
	for n := line - 1; n >= 1; n-- {
		t := text(n)
		if s := strings.TrimSpace(t); s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		return fmt.Sprintf(" (line %d starts in column %d, this one in column %d)", n, len(leadingSpace(t))+1, len(leadingSpace(text(line)))+1)
	}
	return ""
}

func leadingSpace(s string) string {
	return s[:len(s)-len(bytes.TrimLeft([]byte(s), " \t"))]
}
