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
	// A byte scan, not json.Decoder.Token (which took as long as the
	// decoding itself): data is valid JSON, so outside strings only
	// structure and scalars occur, and a string followed by ':' is a key.
	var stack []map[string]int // the keys of each open object (nil: a list), by offset
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{':
			stack = append(stack, map[string]int{})
		case '[':
			stack = append(stack, nil)
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '"':
			j, escaped := i+1, false
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					escaped = true
					j++
				}
				j++
			}
			if j >= len(data) {
				return nil // not JSON after all: the decoder reports it
			}
			k := j + 1
			for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r' || data[k] == '\n') {
				k++
			}
			if k < len(data) && data[k] == ':' && len(stack) > 0 && stack[len(stack)-1] != nil {
				key := string(data[i+1 : j])
				if escaped {
					if err := json.Unmarshal(data[i:j+1], &key); err != nil {
						return nil
					}
				}
				keys := stack[len(stack)-1]
				if first, dup := keys[key]; dup {
					line, col := lineCol(data, int64(i))
					fl, _ := lineCol(data, int64(first))
					return &SyntaxError{Line: line, Column: col,
						Message: fmt.Sprintf("this field appears twice in the same place (first on line %s); keep one of them", strconv.Itoa(fl))}
				}
				keys[key] = i
			}
			i = j
		}
	}
	return nil
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
