// Package bounds bounds the structure of untrusted YAML and JSON before it
// is parsed.
//
// The decoders we use cost far more than the bytes they read: a YAML or
// JSON file of 30 KB made of '[' takes over a gigabyte to be refused, a
// mapping of 10,000 keys takes seconds (the YAML parser is quadratic in the
// keys of one mapping), and YAML aliases multiply a small file into a
// huge document. The scanners here read the bytes once, in constant
// memory, and return an error when the nesting depth, the keys of one
// mapping or the number of values exceed [Limits]. They over-estimate
// rather than under-estimate: every value the decoder could build is
// counted.
package bounds

import (
	"errors"
	"fmt"
)

// ErrLimit is wrapped by the errors of [JSON] and [YAML].
var ErrLimit = errors.New("structure exceeds the limits")

// Limits bounds the structure of one document.
type Limits struct {
	// MaxDepth bounds the nesting of mappings and sequences.
	MaxDepth int
	// MaxKeys bounds the keys of one mapping.
	MaxKeys int
	// MaxValues bounds the values (scalars, mappings, sequences and
	// aliases) of the whole document.
	MaxValues int
	// MaxAliases bounds the YAML aliases of the document.
	MaxAliases int
}

// Default is the limits for documents of a few MiB made by people or by
// casevault: case files, bundle manifests, witness files, organisation
// cards, backup manifests and custody reports.
var Default = Limits{MaxDepth: 64, MaxKeys: 256, MaxValues: 50000, MaxAliases: 10000}

// Wire is the limits for casevault's own JSON wire formats: bundle
// manifests, backup manifests and trailers, organisation cards, witness
// files, audit entries and custody reports. They are written by
// programs, never deeper than a few levels.
var Wire = Limits{MaxDepth: 32, MaxKeys: 256, MaxValues: 1 << 20, MaxAliases: 1}

// An Error reports the first limit a document exceeds.
type Error struct {
	What  string // "nesting depth", "keys in one mapping", "values", "aliases"
	Limit int
	Line  int // 1-based line where the limit was passed; 0 when found by [Value]
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: more than %d %s", ErrLimit, e.Limit, e.What)
	}
	return fmt.Sprintf("%s: more than %d %s (line %d)", ErrLimit, e.Limit, e.What, e.Line)
}

// Unwrap returns [ErrLimit].
func (e *Error) Unwrap() error { return ErrLimit }

func (l Limits) orDefault() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = Default.MaxDepth
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = Default.MaxKeys
	}
	if l.MaxValues <= 0 {
		l.MaxValues = Default.MaxValues
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = Default.MaxAliases
	}
	return l
}

// JSON checks the structure of a JSON text against l. It does not check
// that data is valid JSON (the decoder does); it only bounds what a
// decoder could build from it. Values of one array are not limited by
// MaxKeys, only by MaxValues.
func JSON(data []byte, l Limits) error {
	l = l.orDefault()
	// keys per open object; -1 marks an array.
	var stack []int
	line, values := 1, 1
	inString, escaped := false, false
	for _, c := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c == '\n':
				line++
			}
			continue
		}
		switch c {
		case '\n':
			line++
		case '"':
			inString = true
		case '[', '{':
			values++
			if len(stack) >= l.MaxDepth {
				return &Error{What: "levels of nesting", Limit: l.MaxDepth, Line: line}
			}
			if c == '[' {
				stack = append(stack, -1)
			} else {
				stack = append(stack, 0)
			}
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',', ':':
			values++
			if c == ':' && len(stack) > 0 && stack[len(stack)-1] >= 0 {
				stack[len(stack)-1]++
				if stack[len(stack)-1] > l.MaxKeys {
					return &Error{What: "keys in one object", Limit: l.MaxKeys, Line: line}
				}
			}
		}
		if values > l.MaxValues {
			return &Error{What: "values", Limit: l.MaxValues, Line: line}
		}
	}
	return nil
}

// Value checks a decoded document (maps, slices and scalars as the YAML
// and JSON decoders build them) against l exactly: depth and keys of one
// mapping. The scanners bound what decoding costs and may be off by a
// level or a key on contrived YAML; Value, run on what was built, makes
// the limits exact.
func Value(v any, l Limits) error {
	l = l.orDefault()
	values := 0
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		values++
		if values > l.MaxValues {
			return &Error{What: "values", Limit: l.MaxValues}
		}
		switch v := v.(type) {
		case map[string]any:
			if depth+1 > l.MaxDepth {
				return &Error{What: "levels of nesting", Limit: l.MaxDepth}
			}
			if len(v) > l.MaxKeys {
				return &Error{What: "keys in one mapping", Limit: l.MaxKeys}
			}
			for _, e := range v {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		case map[any]any:
			if depth+1 > l.MaxDepth {
				return &Error{What: "levels of nesting", Limit: l.MaxDepth}
			}
			if len(v) > l.MaxKeys {
				return &Error{What: "keys in one mapping", Limit: l.MaxKeys}
			}
			for _, e := range v {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		case []any:
			if depth+1 > l.MaxDepth {
				return &Error{What: "levels of nesting", Limit: l.MaxDepth}
			}
			for _, e := range v {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(v, 0)
}
