package schema

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/casevault/casevault/schema/internal/jsonschema"
	"github.com/casevault/casevault/schema/internal/jsonschema/kind"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// numbersAsText replaces, in doc read from the YAML text src, each number
// or boolean written unquoted where the schema wants text (birth_date:
// 1999, article: 275, case_number: 207.30) by the text exactly as written
// in src (its source token, so 207.30 stays 207.30). Quoting it would give
// the same text, so text that breaks a rule of the field (birth_date:
// 19990) is then reported by validation as what it is, not as a number.
// Values it cannot find in src (behind an alias or a merge key) are left
// as they are, for validation to report with a hint to quote them.
func (m *Schema) numbersAsText(doc map[string]any, src []byte) {
	locs := m.textWanted(doc)
	if len(locs) == 0 {
		return
	}
	root := parseAST(src)
	if root == nil {
		return
	}
	for _, loc := range locs {
		n := nodeAt(root, loc)
		if n == nil {
			continue
		}
		switch n.(type) {
		case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		default:
			continue
		}
		if tk := n.GetToken(); tk != nil && tk.Value != "" {
			setAt(doc, loc, tk.Value)
		}
	}
}

// textWanted returns the locations (JSON pointer tokens) in doc of numbers
// and booleans where the schema wants text.
func (m *Schema) textWanted(doc any) [][]string {
	err := m.compiled().Validate(doc)
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil
	}
	var out [][]string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if k, ok := e.ErrorKind.(*kind.Type); ok && slices.Contains(k.Want, "string") &&
			(k.Got == "number" || k.Got == "integer" || k.Got == "boolean") {
			out = append(out, e.InstanceLocation)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	return out
}

// parseAST returns the body of the one document in src, or nil.
func parseAST(src []byte) (body ast.Node) {
	defer func() {
		if r := recover(); r != nil {
			body = nil
		}
	}()
	f, err := parser.ParseBytes(src, 0)
	if err != nil || len(f.Docs) != 1 {
		return nil
	}
	return f.Docs[0].Body
}

// nodeAt returns the node of the syntax tree n at loc, or nil. It does not
// follow aliases or merge keys: what is behind them is not found.
func nodeAt(n ast.Node, loc []string) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.DocumentNode:
			n = v.Body
			continue
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	if n == nil {
		return nil
	}
	if len(loc) == 0 {
		return n
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			if keyText(mv.Key) == loc[0] {
				return nodeAt(mv.Value, loc[1:])
			}
		}
	case *ast.MappingValueNode:
		if keyText(v.Key) == loc[0] {
			return nodeAt(v.Value, loc[1:])
		}
	case *ast.SequenceNode:
		i, err := strconv.Atoi(loc[0])
		if err == nil && i >= 0 && i < len(v.Values) {
			return nodeAt(v.Values[i], loc[1:])
		}
	}
	return nil
}

// keyText returns the text of a mapping key as the decoder reads it.
func keyText(k ast.MapKeyNode) string {
	var n ast.Node = k
	if mk, ok := n.(*ast.MappingKeyNode); ok {
		n = mk.Value
	}
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value
	}
	if n == nil || n.GetToken() == nil {
		return ""
	}
	return n.GetToken().Value
}

// setAt sets the value at loc of doc to v and returns the value it
// replaced; ok is false if there is no value at loc.
func setAt(doc any, loc []string, v any) (old any, ok bool) {
	if len(loc) == 0 {
		return nil, false
	}
	cur := doc
	for i, tok := range loc {
		last := i == len(loc)-1
		switch c := cur.(type) {
		case map[string]any:
			e, found := c[tok]
			if !found {
				return nil, false
			}
			if last {
				c[tok] = v
				return e, true
			}
			cur = e
		case []any:
			j, err := strconv.Atoi(tok)
			if err != nil || j < 0 || j >= len(c) {
				return nil, false
			}
			if last {
				old := c[j]
				c[j] = v
				return old, true
			}
			cur = c[j]
		default:
			return nil, false
		}
	}
	return nil, false
}

// quoteHint returns the advice added to "must be text (got a number)"
// for the value v at loc of doc: how to write it as text.
func quoteHint(doc any, loc []string, v any) string {
	var text string
	switch v := v.(type) {
	case float64:
		text = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		text = strconv.FormatBool(v)
	default:
		return ""
	}
	if len(loc) == 0 {
		return ""
	}
	name := "field"
	for i := len(loc) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(loc[i]); err != nil {
			name = loc[i]
			break
		}
	}
	if !revealable(doc, userPath(doc, loc)) {
		text = "…"
	}
	if _, err := strconv.Atoi(loc[len(loc)-1]); err == nil {
		// An entry of a list.
		return `; text that looks like a number or true/false goes in quotes: ` + name + `: ["` + text + `"]`
	}
	return `; text that looks like a number or true/false goes in quotes: ` + name + `: "` + text + `"`
}

// valueAt returns the value at loc of doc, or nil.
func valueAt(doc any, loc []string) any {
	cur := doc
	for _, tok := range loc {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			j, err := strconv.Atoi(tok)
			if err != nil || j < 0 || j >= len(c) {
				return nil
			}
			cur = c[j]
		default:
			return nil
		}
	}
	return cur
}

// quoteHintMsg is quoteHint as a message: "" or the hint with its
// example.
func quoteHintMsg(doc any, loc []string, v any) any {
	const lead = `; text that looks like a number or true/false goes in quotes: `
	h := quoteHint(doc, loc, v)
	if !strings.HasPrefix(h, lead) {
		return h
	}
	return msg("schema.quoteHint", map[string]any{"Example": strings.TrimPrefix(h, lead)})
}
