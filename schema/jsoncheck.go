package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// isJSONText reports whether data is a JSON document (an object), as
// opposed to YAML: a JSON number there is a number the writer meant, not
// a plain YAML scalar that happens to look like one, so it is not taken as
// text (see numbersAsText). [Parse] and [FromJSON] then give the same
// verdict on the same document.
func isJSONText(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(data)
}

// checkJSONDuplicates returns a *SyntaxError for the first field of a JSON
// document that appears twice in the same object, or nil. encoding/json
// would silently keep the last one; the YAML decoder refuses it, and so
// must every path that reads a case document. It is called for JSON text
// only (data is valid JSON).
func checkJSONDuplicates(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]int64 // key -> offset of its end
		expect bool             // the next string token is a key
	}
	var stack []*frame
	for {
		prev := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil // not JSON after all: the decoder reports it
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.object {
					top.expect = true
				}
				stack = append(stack, &frame{object: t == '{', keys: map[string]int64{}, expect: true})
				continue
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return nil
				}
				continue
			}
		case string:
			if top != nil && top.object && top.expect {
				off := keyStart(data, prev)
				if first, dup := top.keys[t]; dup {
					line, col := lineCol(data, off)
					fl, _ := lineCol(data, first)
					return &SyntaxError{Line: line, Column: col,
						Message: fmt.Sprintf("this field appears twice in the same place (first on line %s); keep one of them", strconv.Itoa(fl))}
				}
				top.keys[t] = off
				top.expect = false
				continue
			}
		}
		if top != nil && top.object {
			top.expect = true
		}
	}
}

// keyStart returns the offset of the token that follows off in data,
// past blanks and the comma or brace before it.
func keyStart(data []byte, off int64) int64 {
	for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,{"), data[off]) >= 0 {
		off++
	}
	return off
}

// lineCol returns the line and column (from 1) of the byte at off in data.
func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// errBinary marks a YAML !!binary value, which no field of a case holds.
var errBinary = errors.New("binary value")

// binaryPath returns the dotted path of the first []byte in v, or "".
func binaryPath(v any, path string) string {
	switch t := v.(type) {
	case []byte:
		if path == "" {
			return "(document)"
		}
		return path
	case map[string]any:
		for k, e := range t {
			if p := binaryPath(e, join(path, k)); p != "" {
				return p
			}
		}
	case map[any]any:
		for k, e := range t {
			if p := binaryPath(e, join(path, fmt.Sprint(k))); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range t {
			if p := binaryPath(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
