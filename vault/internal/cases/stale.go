package cases

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/casevault/casevault/vault/internal/errs"
)

// A StaleError refuses a case file based on an older revision than the
// current one when storing it would undo changes made since.
type StaleError struct {
	Case    string
	Base    uint32   // the revision the file was based on (0: a new case, such as the template)
	Current uint32   // the case's current revision
	Undone  []Change // what storing the file would undo: Old is the current value, New the file's
}

func (e *StaleError) Error() string {
	if e.Base > e.Current {
		return fmt.Sprintf("the file says it is based on revision %d of case %s, but the case is at revision %d: it was not made from this case", e.Base, e.Case, e.Current)
	}
	base := fmt.Sprintf("revision %d", e.Base)
	if e.Base == 0 {
		base = "no revision (a new case file, such as the template)"
	}
	n := len(e.Undone)
	s := "s"
	if n == 1 {
		s = ""
	}
	return fmt.Sprintf("case %s changed since the file was made: the file is based on %s, the case is at revision %d; storing it would undo %d change%s made since",
		e.Case, base, e.Current, n, s)
}

// Is puts a StaleError in the category ErrInvalid.
func (e *StaleError) Is(target error) bool { return target == errs.ErrInvalid }

// A Base is the revision a case file was made from, as its marker line
// says.
type Base struct {
	Case string // the case ID; "" for a new case (the template)
	Rev  uint32 // 0 for a new case
}

// BaseLine returns the marker line (without a newline) that 'case show',
// 'case edit' and 'case template' write at the top of a case file: a YAML
// comment, so the parser ignores it and the stored document is the same
// with or without it. rest, when not empty, follows on the same line.
func BaseLine(b Base, rest string) string {
	s := "# casevault: new case (revision 0)"
	if b.Case != "" {
		s = fmt.Sprintf("# casevault: case %s revision %d", b.Case, b.Rev)
	}
	if rest != "" {
		s += ", " + rest
	}
	return s
}

var (
	baseLineRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^#\s*casevault:\s*case\s+(c[a-z0-9]{16})\s+revision\s+(\d{1,10})\b`)
	})
	newCaseRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^#\s*casevault:\s*new case\b`) })
	legacyBaseRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^#\s*case\s+(c[a-z0-9]{16}),\s*revision\s+(\d{1,10}),`)
	}) // 'case show' before the marker line
)

// A MalformedBaseError is a line in the leading comment block of a case
// file that starts like a marker ("# casevault:") but does not say which
// revision the file was made from in a form casevault reads: a damaged
// marker, which must not pass for a file without one.
type MalformedBaseError struct {
	Line int // 1-based line number in the file
}

func (e *MalformedBaseError) Error() string {
	return fmt.Sprintf("line %d starts like the marker naming the revision the file was made from but is malformed (it must read '# casevault: case ID revision N')", e.Line)
}

// Is puts a MalformedBaseError in the category ErrInvalid.
func (e *MalformedBaseError) Is(target error) bool { return target == errs.ErrInvalid }

var (
	markerLikeRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^#\s*casevault\s*:`) })
	// the lines 'case edit' writes above the text after a mistake
	problemLineRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^#\s*casevault:\s*(NOT STORED YET|end of messages)\b`)
	})
)

// ParseBase finds the marker line in the leading comment block of a case
// file (the lines before its first line of YAML: a marker-looking line
// inside a text block is text, not a marker). It also reads the header
// 'case show' wrote before markers existed ("# case ID, revision N, ...").
// A damaged marker counts as none here; ParseBaseStrict reports it.
func ParseBase(data []byte) (Base, bool) {
	b, ok, err := ParseBaseStrict(data)
	if err != nil {
		return Base{}, false
	}
	return b, ok
}

// ParseBaseStrict is ParseBase, but returns a *MalformedBaseError when the
// first line of the leading comment block that starts with "# casevault:"
// is not a marker it can read (such as "revision -1" or "revision 1x").
func ParseBaseStrict(data []byte) (Base, bool, error) {
	s := string(data)
	s = strings.TrimPrefix(s, "\ufeff")
	no := 0
	for len(s) > 0 {
		no++
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		line = strings.TrimRight(line, "\r \t")
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") {
			break
		}
		for _, re := range []*regexp.Regexp{baseLineRe(), legacyBaseRe()} {
			if m := re.FindStringSubmatch(line); m != nil {
				n, err := strconv.ParseUint(m[2], 10, 32)
				if err != nil {
					return Base{}, false, &MalformedBaseError{Line: no}
				}
				return Base{Case: m[1], Rev: uint32(n)}, true, nil
			}
		}
		if newCaseRe().MatchString(line) {
			return Base{}, true, nil
		}
		if markerLikeRe().MatchString(line) && !problemLineRe().MatchString(line) {
			return Base{}, false, &MalformedBaseError{Line: no}
		}
	}
	return Base{}, false, nil
}
