package bounds

import "fmt"

// The YAML decoder (goccy/go-yaml) takes time quadratic in two kinds of
// whitespace, which the scanner bounds before it runs:
//
//   - a raw tab inside a double-quoted string costs about as much as the
//     string before it: the sum over such tabs of their offset in their
//     string is at most maxTabWork per document;
//   - whitespace-only lines (spaces or tabs, not empty) at the start of a
//     block scalar (| or >), before its first line of text, cost about as
//     much as the lines before them: at most maxLeadBlank in a row.
//
// Within these, a 4 MiB file decodes in well under a second
// (BenchmarkParseBombs in package schema). Neither limit touches text
// people write: a tab is written \t in a double-quoted string, or kept
// raw in a block scalar or a single-quoted string, which cost nothing.
const (
	maxTabWork   = 1 << 22
	maxLeadBlank = 16
)

// A WhitespaceError reports whitespace the decoder would take too long
// to read.
type WhitespaceError struct {
	Line int
	Tabs bool // raw tabs in a double-quoted string, else blank lines
}

func (e *WhitespaceError) Error() string {
	if e.Tabs {
		return fmt.Sprintf("%s: too many raw tab characters inside a double-quoted string (line %d); write them as \\t, or use a block scalar (|)", ErrLimit, e.Line)
	}
	return fmt.Sprintf("%s: more than %d lines of only spaces or tabs at the start of a block scalar (line %d); remove the spaces from the blank lines", ErrLimit, maxLeadBlank, e.Line)
}

// Unwrap returns [ErrLimit].
func (e *WhitespaceError) Unwrap() error { return ErrLimit }

// dqTabs accounts for seg, the part on one line of an open double-quoted
// string; end tells whether the string ends on this line.
func (s *yamlScan) dqTabs(seg []byte, end bool) error {
	for k, c := range seg {
		if c == '\t' {
			s.tabWork += s.qoff + k
			if s.tabWork > maxTabWork {
				return &WhitespaceError{Line: s.line, Tabs: true}
			}
		}
	}
	s.qoff += len(seg) + 1
	if end {
		s.qoff = 0
	}
	return nil
}
