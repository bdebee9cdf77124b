package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/casevault/casevault/schema/bounds"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// MaxCaseFileSize is the largest case file [Parse] accepts, in bytes.
const MaxCaseFileSize = 4 << 20

// MaxCanonicalSize is the largest canonical JSON document [FromJSON]
// reads and [Parse] returns: the canonical form of a file within
// [MaxCaseFileSize] may be somewhat larger than the file (escapes), but
// never by this much. A document read from YAML whose aliases would take
// it past this size is refused before it is expanded.
const MaxCanonicalSize = 4 * MaxCaseFileSize

// maxAliasGrowth bounds what YAML aliases may add to a case file: the
// document they expand to may hold at most this many times the bytes of
// the file, plus aliasSlack.
const (
	maxAliasGrowth = 2
	aliasSlack     = 64 << 10
)

// storedLimits bound the structure of documents FromStored reads: stored
// revisions. encoding/json is linear in keys and
// values, so only depth matters to it; values and keys are bounded as
// normalize always did, so that nothing stored before these limits (or
// grown by YAML aliases within them) becomes unreadable.
var storedLimits = bounds.Limits{MaxDepth: bounds.Default.MaxDepth, MaxKeys: maxValues, MaxValues: maxValues, MaxAliases: 1}

// maxValues bounds the number of values in a decoded case file, so that
// YAML aliases cannot blow a small file up into a huge document.
const maxValues = 1 << 20

// Errors that [Parse] and [FromJSON] wrap with details.
var (
	// ErrTooLarge means the case file is larger than [MaxCaseFileSize].
	ErrTooLarge = errors.New("case file is too large")
	// ErrNotUTF8 means the case file is not valid UTF-8 text.
	ErrNotUTF8 = errors.New("case file is not valid UTF-8")
	// ErrSyntax means the case file is not well-formed YAML or JSON.
	ErrSyntax = errors.New("case file is not valid YAML or JSON")
)

// A VersionError reports a case file whose schema field names a version
// this package does not read.
type VersionError struct {
	// Version is the value of the schema field.
	Version string
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("unsupported case schema version %q; this casevault reads %s", e.Version, Version)
}

// A Case is a validated case file.
type Case struct {
	// Doc is the document, made of JSON values only: map[string]any, []any,
	// string, float64 and bool. A field left empty in the file is absent.
	Doc map[string]any

	s *Schema // the schema the case was read with; nil for the embedded one
}

// Schema returns the schema the case was read and validated with: the
// embedded case.v1 schema unless it came from a [Schema] of [Load].
func (c *Case) Schema() *Schema { return c.schema() }

func (c *Case) schema() *Schema {
	if c == nil || c.s == nil {
		return theModel()
	}
	return c.s
}

// Parse reads a case file written as YAML or JSON and validates it.
//
// Dates stay strings as written. A field left empty (null) is treated as
// absent. When the schema field is absent it is set to [Version]; when
// person.birth_year is absent it is derived from person.birth_date.
//
// Parse returns an error wrapping [ErrTooLarge], [ErrNotUTF8] or
// [ErrSyntax] for a file it cannot read, a [*VersionError] for a file of
// another version, and a [*ValidationError] for a file that does not match
// the schema.
func Parse(data []byte) (*Case, error) { return theModel().Parse(data) }

// Parse is [Parse] under the schema m.
func (m *Schema) Parse(data []byte) (*Case, error) {
	if len(data) > MaxCaseFileSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d bytes (%d MiB)",
			ErrTooLarge, len(data), MaxCaseFileSize, MaxCaseFileSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := checkUTF8(data); err != nil {
		return nil, err
	}
	if err := bounds.YAML(data, bounds.Default); err != nil {
		if errors.Is(err, bounds.ErrLimit) {
			return nil, fmt.Errorf("%w: %w", ErrTooLarge, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if err := checkAliases(data); err != nil {
		return nil, err
	}
	src := data
	if isJSONText(data) {
		if err := checkJSONDuplicates(data); err != nil {
			return nil, err
		}
		src = nil // a JSON number is a number: FromJSON gives the same verdict
	}
	v, err := decodeYAML(data)
	if err != nil {
		return nil, err
	}
	if err := bounds.Value(v, bounds.Default); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	c, err := m.fromValue(v, src)
	if err != nil {
		return nil, err
	}
	if n := len(c.Canonical()); n > MaxCanonicalSize {
		return nil, fmt.Errorf("%w: the document takes %d bytes once read, the limit is %d bytes", ErrTooLarge, n, MaxCanonicalSize)
	}
	if _, ok := c.Doc["schema"]; !ok {
		c.Doc["schema"] = Version
	}
	if p, ok := c.Doc["person"].(map[string]any); ok {
		if _, ok := p["birth_year"]; !ok {
			if d, ok := p["birth_date"].(string); ok && len(d) >= 4 {
				if y, err := strconv.Atoi(d[:4]); err == nil {
					p["birth_year"] = float64(y)
				}
			}
		}
	}
	return c, nil
}

// FromJSON reads a case document given as JSON (an import record, a
// partner's bundle entry, the output of [Case.Canonical]) and validates
// it, within the limits of a case file.
func FromJSON(canonical []byte) (*Case, error) {
	return theModel().fromJSON(canonical, bounds.Default)
}

// FromJSON is [FromJSON] under the schema m.
func (m *Schema) FromJSON(canonical []byte) (*Case, error) {
	return m.fromJSON(canonical, bounds.Default)
}

// FromStored is FromJSON for a document read back from this vault's own
// store: only its depth is bounded more than it always was, so that
// nothing stored by an earlier version becomes unreadable.
func FromStored(canonical []byte) (*Case, error) {
	return theModel().fromJSON(canonical, storedLimits)
}

func (m *Schema) fromJSON(canonical []byte, lim bounds.Limits) (*Case, error) {
	// Canonical JSON of a file within MaxCaseFileSize may be somewhat
	// larger than the file, but never by this much.
	if limit := MaxCanonicalSize; len(canonical) > limit {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d bytes", ErrTooLarge, len(canonical), limit)
	}
	if err := checkUTF8(canonical); err != nil {
		return nil, err
	}
	if err := bounds.JSON(canonical, lim); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	dec := json.NewDecoder(bytes.NewReader(canonical))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the document", ErrSyntax)
	}
	if lim != storedLimits { // this vault's own canonical output has none
		if err := checkJSONDuplicates(canonical); err != nil {
			return nil, err
		}
	}
	return m.fromValue(v, nil)
}

// fromValue checks the version of a decoded document and validates it.
// src is the YAML text v was read from, or nil: numbers and booleans
// written in it where the schema wants text are taken as the text written
// (see numbersAsText).
func (m *Schema) fromValue(v any, src []byte) (*Case, error) {
	n := 0
	orig := v
	v, err := normalize(v, &n)
	if errors.Is(err, errBinary) {
		return nil, fmt.Errorf("%w: %s: binary values (!!binary) are not accepted; write the value as text", ErrSyntax, binaryPath(orig, ""))
	}
	if err != nil {
		return nil, err
	}
	doc, ok := v.(map[string]any)
	if !ok {
		// Let validation describe what is wrong with it.
		if err := m.validateValue(v); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: not a mapping", ErrSyntax)
	}
	if s, ok := doc["schema"].(string); ok && s != Version {
		return nil, &VersionError{Version: s}
	}
	if src != nil {
		m.numbersAsText(doc, src)
	}
	c := &Case{Doc: doc, s: m}
	if m == theModel() {
		c.s = nil
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkUTF8 returns an error naming the line and byte offset of the first
// byte of data that is not valid UTF-8, if any.
func checkUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line := 1
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("%w: invalid byte 0x%02x on line %d (byte offset %d)", ErrNotUTF8, data[off], line, off)
		}
		if r == '\n' {
			line++
		}
		off += size
	}
	return nil
}

// decodeYAML decodes the one YAML document in data.
func decodeYAML(data []byte) (v any, err error) {
	// The YAML decoder is not ours; a panic in it on hostile input must
	// not take down the program that reads the file.
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%w: %v", ErrSyntax, r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("%w: the file is empty", ErrSyntax)
		}
		if fe := friendlySyntax(data, err); fe != nil {
			return nil, fe
		}
		return nil, fmt.Errorf("%w: %s", ErrSyntax, yaml.FormatError(err, false, false))
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, fmt.Errorf("%w: the file holds more than one document", ErrSyntax)
	}
	return v, nil
}

// normalize returns v made of JSON values only: keys become strings,
// numbers float64, and null fields of mappings are dropped.
func normalize(v any, n *int) (any, error) {
	*n++
	if *n > maxValues {
		return nil, fmt.Errorf("%w: more than %d values", ErrSyntax, maxValues)
	}
	switch v := v.(type) {
	case nil, string, bool:
		return v, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if e == nil {
				continue
			}
			e, err := normalize(e, n)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if e == nil {
				continue
			}
			ks, ok := k.(string)
			if !ok {
				kn, err := normalize(k, n)
				if err != nil {
					return nil, err
				}
				switch kn.(type) {
				case string, float64, bool:
					ks = fmt.Sprint(kn)
				default:
					return nil, fmt.Errorf("%w: a mapping key is not a string", ErrSyntax)
				}
			}
			if _, dup := out[ks]; dup {
				return nil, fmt.Errorf("%w: key %q appears twice", ErrSyntax, ks)
			}
			e, err := normalize(e, n)
			if err != nil {
				return nil, err
			}
			out[ks] = e
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			e, err := normalize(e, n)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: %v is not a number a case file may hold", ErrSyntax, v)
		}
		return v, nil
	case float32:
		return normalize(float64(v), n)
	case int:
		return float64(v), nil
	case int8:
		return float64(v), nil
	case int16:
		return float64(v), nil
	case int32:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case uint:
		return float64(v), nil
	case uint8:
		return float64(v), nil
	case uint16:
		return float64(v), nil
	case uint32:
		return float64(v), nil
	case uint64:
		return float64(v), nil
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("%w: bad number %s", ErrSyntax, v)
		}
		return normalize(f, n)
	case []byte:
		return nil, errBinary
	case time.Time:
		// Dates are kept as written; a timestamp should not get here.
		return v.Format(time.RFC3339Nano), nil
	}
	return nil, fmt.Errorf("%w: unexpected value of type %T", ErrSyntax, v)
}

// checkAliases refuses a YAML file whose aliases would expand it beyond
// maxAliasGrowth times its size (or beyond MaxCaseFileSize), measuring
// the expanded size on the syntax tree, where an alias is a reference,
// before anything is expanded. Files without '*' have no aliases.
func checkAliases(data []byte) (err error) {
	if bytes.IndexByte(data, '*') < 0 {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrSyntax, r)
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		// The decoder reports the syntax error with its position.
		return nil
	}
	limit := min(maxAliasGrowth*int64(len(data))+aliasSlack, MaxCaseFileSize)
	anchors := map[string]expanded{}
	for _, d := range f.Docs {
		e := expandedSize(d.Body, anchors)
		if e.size > limit {
			return fmt.Errorf("%w: its aliases (*name) expand it to at least %d bytes, the limit is %d bytes; write the repeated parts out instead", ErrTooLarge, e.size, limit)
		}
		if e.depth > int64(bounds.Default.MaxDepth) {
			return fmt.Errorf("%w: its aliases (*name) nest it more than %d levels deep", ErrTooLarge, bounds.Default.MaxDepth)
		}
	}
	return nil
}

// expanded is the size and depth of a node once its aliases are expanded.
type expanded struct{ size, depth int64 }

// expandedSize returns about how many bytes node takes once its aliases
// are expanded (the bytes of its scalars plus one per node) and how deep
// it nests. anchors holds the expanded figures of each anchor defined so
// far. Sizes saturate, so an exponential bomb cannot overflow.
func expandedSize(node ast.Node, anchors map[string]expanded) expanded {
	const ceiling = 1 << 50
	var t expanded
	add := func(e expanded) {
		t.size = min(t.size+e.size, ceiling)
		t.depth = max(t.depth, e.depth)
	}
	switch n := node.(type) {
	case nil:
		return t
	case *ast.DocumentNode:
		return expandedSize(n.Body, anchors)
	case *ast.MappingNode:
		for _, mv := range n.Values {
			add(expandedSize(mv, anchors))
		}
		return expanded{size: t.size + 1, depth: t.depth + 1}
	case *ast.MappingValueNode:
		add(expandedSize(n.Key, anchors))
		add(expandedSize(n.Value, anchors))
		if _, flat := n.Value.(*ast.MappingNode); !flat {
			// A mapping of one key is parsed as a MappingValueNode.
			t.depth++
		}
		return t
	case *ast.MappingKeyNode:
		return expandedSize(n.Value, anchors)
	case *ast.SequenceNode:
		for _, v := range n.Values {
			add(expandedSize(v, anchors))
		}
		return expanded{size: t.size + 1, depth: t.depth + 1}
	case *ast.TagNode:
		return expandedSize(n.Value, anchors)
	case *ast.AnchorNode:
		e := expandedSize(n.Value, anchors)
		if n.Name != nil {
			anchors[n.Name.GetToken().Value] = e
		}
		return e
	case *ast.AliasNode:
		if n.Value == nil {
			return expanded{size: 1}
		}
		e := anchors[n.Value.GetToken().Value]
		return expanded{size: min(e.size+1, ceiling), depth: e.depth}
	}
	if tk := node.GetToken(); tk != nil {
		return expanded{size: int64(len(tk.Value)) + 1}
	}
	return expanded{size: 1}
}
