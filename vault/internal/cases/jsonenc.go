package cases

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON is json.Marshal without HTML escaping: '&', '<' and '>' stay
// as they are. Records that embed a canonical document (a json.RawMessage
// whose bytes are hashed) must be written with it, because json.Marshal
// rewrites the embedded bytes ("&" becomes "\u0026") and the stored
// document would no longer be the bytes its hash was computed over
// (SECURITY.md, "Canonical JSON").
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnescapeHTMLJSON undoes the HTML escaping encoding/json applies by
// default: inside strings, the escapes \u0026, \u003c and \u003e (as Go
// writes them, lower case) become '&', '<' and '>'. Every other byte and
// escape is copied as it is, so that the result decodes to exactly the
// same value. It reports whether anything changed.
//
// It is for reading revisions written before MarshalJSON existed, whose
// embedded documents were escaped after being hashed.
func UnescapeHTMLJSON(b []byte) ([]byte, bool) {
	if !bytes.Contains(b, []byte(`\u00`)) {
		return b, false
	}
	out := make([]byte, 0, len(b))
	changed := false
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			out = append(out, c)
			continue
		}
		switch c {
		case '"':
			inString = false
			out = append(out, c)
		case '\\':
			if i+5 < len(b) && b[i+1] == 'u' {
				switch string(b[i+2 : i+6]) {
				case "0026":
					out = append(out, '&')
					i += 5
					changed = true
					continue
				case "003c":
					out = append(out, '<')
					i += 5
					changed = true
					continue
				case "003e":
					out = append(out, '>')
					i += 5
					changed = true
					continue
				}
			}
			// Any other escape: copy the backslash and the escaped byte
			// together, so that "\\u0026" (a literal backslash) stays.
			out = append(out, c)
			if i+1 < len(b) {
				out = append(out, b[i+1])
				i++
			}
		default:
			out = append(out, c)
		}
	}
	return out, changed
}
